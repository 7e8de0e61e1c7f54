package cluesim

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Answer is a fixed answer of the webhook simulator: status, content type, body and a delay
// before answering.
type Answer struct {
	Status      int
	ContentType string
	Body        []byte
	Delay       time.Duration
}

// JSONAnswer makes an application/json answer of v.
func JSONAnswer(status int, v any) Answer {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(`null`)
	}
	return Answer{Status: status, ContentType: "application/json", Body: b}
}

// HTMLAnswer makes a text/html answer, like a proxy's error page.
func HTMLAnswer(status int, html string) Answer {
	return Answer{Status: status, ContentType: "text/html; charset=utf-8", Body: []byte(html)}
}

// WebhookOptions configure a Webhook.
type WebhookOptions struct {
	// Seed makes the demo credentials and the faults repeatable.
	Seed int64
	// Known are the credential values (user keys, card numbers, PINs, QR payloads) the vendor
	// grants; DemoCredentials(Seed) when nil.
	Known []string
	// Authorization, when set, is the Authorization header value the vendor requires.
	Authorization string
	// Logger receives a line per call; nothing is logged when nil.
	Logger *slog.Logger
}

// DemoCredentials are the credential values a webhook simulator with this seed grants by
// default: the user key and card of the samples of spec 000, a PIN, a QR payload and a
// seeded employee number.
func DemoCredentials(seed int64) []string {
	r := rand.New(rand.NewPCG(uint64(seed), 0x7e6))
	return []string{"1234567", "12345", "4321", "QR-DEMO-0001", fmt.Sprintf("EMP%04d", r.IntN(10000))}
}

// WebhookRequest is one call the webhook received.
type WebhookRequest struct {
	At     time.Time   `json:"at"`
	Method string      `json:"method"`
	Path   string      `json:"path"`
	Header http.Header `json:"header"`
	Body   string      `json:"body"`
}

// Webhook simulates a vendor's authentication API (spec 002): it takes POST application/json
// and grants a request when one of its values is a known credential ({"valid":true,
// "message":"Access granted."}, 200) and denies it otherwise ({"valid":false,...}, 403). A
// fixed answer (JSON or HTML, any status, a delay) replaces that logic until cleared. It is an
// http.Handler; the knobs are safe for concurrent use. Its control surface is under /_sim/.
type Webhook struct {
	log  *slog.Logger
	auth string

	mu       sync.Mutex
	rng      *rand.Rand
	known    map[string]bool
	answer   *Answer
	delay    time.Duration
	dropRate float64
	requests []WebhookRequest
}

// maxWebhookRequests is how many calls the webhook remembers.
const maxWebhookRequests = 1000

// NewWebhook returns a webhook simulator.
func NewWebhook(opts WebhookOptions) *Webhook {
	w := &Webhook{log: opts.Logger, auth: opts.Authorization, rng: rand.New(rand.NewPCG(uint64(opts.Seed), 0x3eb)), known: map[string]bool{}}
	if w.log == nil {
		w.log = slog.New(slog.DiscardHandler)
	}
	known := opts.Known
	if known == nil {
		known = DemoCredentials(opts.Seed)
	}
	for _, k := range known {
		w.known[k] = true
	}
	return w
}

// SetAnswer makes every call get a, whatever it asks.
func (w *Webhook) SetAnswer(a Answer) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.answer = &a
}

// ClearAnswer goes back to granting known credentials.
func (w *Webhook) ClearAnswer() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.answer = nil
}

// SetDelay delays every answer by d (a fixed answer's own delay adds to it).
func (w *Webhook) SetDelay(d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.delay = d
}

// SetDropRate makes a share p (0..1) of the calls end with the connection closed, unanswered.
func (w *Webhook) SetDropRate(p float64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.dropRate = p
}

// Grant adds credential values the vendor grants.
func (w *Webhook) Grant(values ...string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, v := range values {
		w.known[v] = true
	}
}

// Known returns the credential values granted, sorted.
func (w *Webhook) Known() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]string, 0, len(w.known))
	for k := range w.known {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Requests returns the calls received, oldest first (at most the last 1000).
func (w *Webhook) Requests() []WebhookRequest {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.requests)
}

// ServeHTTP answers a vendor call, or a control call under /_sim/.
func (w *Webhook) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_sim/") {
		w.control(rw, r)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	w.mu.Lock()
	w.requests = append(w.requests, WebhookRequest{At: time.Now(), Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: string(body)})
	if len(w.requests) > maxWebhookRequests {
		w.requests = slices.Delete(w.requests, 0, len(w.requests)-maxWebhookRequests)
	}
	delay, fixed := w.delay, w.answer
	drop := w.dropRate > 0 && w.rng.Float64() < w.dropRate
	w.mu.Unlock()

	var a Answer
	if fixed != nil {
		a = *fixed
		delay += fixed.Delay
	} else {
		a = w.decide(r, body)
	}
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if drop {
		panic(http.ErrAbortHandler)
	}
	w.log.Info("webhook sim", "method", r.Method, "path", r.URL.Path, "status", a.Status)
	if a.ContentType != "" {
		rw.Header().Set("Content-Type", a.ContentType)
	}
	rw.WriteHeader(a.Status)
	_, _ = rw.Write(a.Body)
}

// decide is the vendor's own logic.
func (w *Webhook) decide(r *http.Request, body []byte) Answer {
	if r.Method != http.MethodPost {
		return HTMLAnswer(http.StatusMethodNotAllowed, "<html><body><h1>405 Method Not Allowed</h1></body></html>")
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return JSONAnswer(http.StatusUnsupportedMediaType, map[string]any{"valid": false, "message": "Content-Type must be application/json"})
	}
	if w.auth != "" && r.Header.Get("Authorization") != w.auth {
		return JSONAnswer(http.StatusUnauthorized, map[string]any{"valid": false, "message": "Unauthorized."})
	}
	var fields map[string]any
	if err := json.Unmarshal(body, &fields); err != nil {
		return JSONAnswer(http.StatusBadRequest, map[string]any{"valid": false, "message": "The body is not a JSON object."})
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, v := range fields {
		var s string
		switch v := v.(type) {
		case string:
			s = v
		case float64:
			s = strconv.FormatFloat(v, 'f', -1, 64)
		default:
			continue
		}
		if w.known[s] {
			return JSONAnswer(http.StatusOK, map[string]any{"valid": true, "message": "Access granted."})
		}
	}
	return JSONAnswer(http.StatusForbidden, map[string]any{"valid": false, "message": "Access denied: unknown credential."})
}

// control serves /_sim/answer (POST sets, DELETE clears), /_sim/requests and /_sim/grant.
func (w *Webhook) control(rw http.ResponseWriter, r *http.Request) {
	reply := func(status int, v any) {
		a := JSONAnswer(status, v)
		rw.Header().Set("Content-Type", a.ContentType)
		rw.WriteHeader(status)
		_, _ = rw.Write(a.Body)
	}
	body := http.MaxBytesReader(rw, r.Body, 1<<20)
	switch r.Method + " " + r.URL.Path {
	case "POST /_sim/answer":
		var in struct {
			Status      int             `json:"status"`
			ContentType string          `json:"contentType"`
			Body        string          `json:"body"`
			JSON        json.RawMessage `json:"json"`
			DelayMs     int64           `json:"delayMs"`
		}
		if err := json.NewDecoder(body).Decode(&in); err != nil {
			reply(http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		a := Answer{Status: in.Status, ContentType: in.ContentType, Body: []byte(in.Body), Delay: time.Duration(in.DelayMs) * time.Millisecond}
		if len(in.JSON) > 0 {
			a.Body = in.JSON
			if a.ContentType == "" {
				a.ContentType = "application/json"
			}
		}
		if a.Status == 0 {
			a.Status = http.StatusOK
		}
		if a.Status < 100 || a.Status > 999 {
			reply(http.StatusBadRequest, map[string]string{"error": "status must be 100-999"})
			return
		}
		w.SetAnswer(a)
		reply(http.StatusOK, map[string]string{"result": "answer set"})
	case "DELETE /_sim/answer":
		w.ClearAnswer()
		reply(http.StatusOK, map[string]string{"result": "answer cleared"})
	case "GET /_sim/requests":
		reply(http.StatusOK, w.Requests())
	case "POST /_sim/grant":
		var in struct {
			Values []string `json:"values"`
		}
		if err := json.NewDecoder(body).Decode(&in); err != nil {
			reply(http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		w.Grant(in.Values...)
		reply(http.StatusOK, map[string]any{"known": w.Known()})
	default:
		reply(http.StatusNotFound, map[string]string{"error": "no such control call"})
	}
}
