// Package demo serves the built-in device simulators on TCP listeners: the devices of demo
// and training mode, for devicesim and for enrollstation --demo.
package demo

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"
)

// shutdownGrace is how long calls under way may finish when a server stops.
const shutdownGrace = 3 * time.Second

// Server is one simulator being served.
type Server struct {
	// URL is the base URL, scheme://host:port, with 127.0.0.1 for an unspecified host.
	URL string
	// Addr is host:port of URL.
	Addr string

	srv  *http.Server
	done chan struct{}
}

// Serve serves h on addr ("127.0.0.1:0" picks a free port), over TLS when tlsConfig is
// set, until ctx ends or Close is called.
func Serve(ctx context.Context, addr string, h http.Handler, tlsConfig *tls.Config, log *slog.Logger) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	scheme := "http"
	if tlsConfig != nil {
		scheme = "https"
		ln = tls.NewListener(ln, tlsConfig)
	}
	s := &Server{
		Addr: reachable(ln.Addr()),
		srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
			// The standard library's own complaints (TLS handshakes of probes) are detail.
			ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelDebug)},
		done: make(chan struct{}),
	}
	s.URL = scheme + "://" + s.Addr
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("simulator stopped", "addr", s.Addr, "err", err)
		}
	}()
	go func() {
		select {
		case <-ctx.Done():
			s.Close()
		case <-s.done:
		}
	}()
	return s, nil
}

// Close stops the server, letting calls under way finish for a moment, and waits for it.
func (s *Server) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		s.srv.Close()
	}
	<-s.done
}

// Done is closed once the server has stopped.
func (s *Server) Done() <-chan struct{} { return s.done }

// reachable is a listener's address as a client dials it: 127.0.0.1 for an unspecified host.
func reachable(a net.Addr) string {
	ta, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	ip := ta.IP
	if ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return net.JoinHostPort(ip.String(), strconv.Itoa(ta.Port))
}

// CertHost is the host a simulator's self-signed certificate must name, besides loopback,
// for a client on another machine to verify it: the host of addr when it is a specific,
// non-loopback address, else "".
func CertHost(addr string) (string, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host == "" || host == "localhost" || ip != nil && (ip.IsLoopback() || ip.IsUnspecified()) {
		return "", nil
	}
	return host, nil
}
