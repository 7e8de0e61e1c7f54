package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestDevicesimServesTheEF45UntilInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--ef45", "127.0.0.1:0", "--seed", "9", "--version", "1.2.33"}, pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(line, "http://")
	if !strings.HasPrefix(line, "EF-45 simulator listening on ") || i < 0 {
		t.Fatalf("first line %q", line)
	}
	go io.Copy(io.Discard, pr)
	resp, err := http.Get(strings.TrimSpace(line[i:]) + "/1.0/version")
	if err != nil {
		t.Fatal(err)
	}
	var v struct{ Version string }
	err = json.NewDecoder(resp.Body).Decode(&v)
	resp.Body.Close()
	if err != nil || v.Version != "1.2.33" {
		t.Fatalf("version %q, %v", v.Version, err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("devicesim did not stop when interrupted")
	}
}

func TestDevicesimServesEverySimulator(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	go func() {
		_ = run(ctx, []string{"--ef45", "127.0.0.1:0", "--actatek", "127.0.0.1:0", "--clue", "127.0.0.1:0", "--webhook", "127.0.0.1:0"}, pw, io.Discard)
		pw.Close()
	}()
	r := bufio.NewReader(pr)
	for _, want := range []string{"EF-45 simulator listening on http://", "ACTAtek simulator listening on https://",
		"CLUe simulator listening on http://", "webhook simulator listening on https://"} {
		line, err := r.ReadString('\n')
		if err != nil || !strings.HasPrefix(line, want) {
			t.Fatalf("got %q (%v), want a line starting %q", line, err, want)
		}
	}
}

func TestDevicesimNeedsASimulator(t *testing.T) {
	if err := run(context.Background(), nil, io.Discard, io.Discard); err == nil {
		t.Fatal("started with nothing to serve")
	}
}
