// The simulators of the three-station test, served by a process of their own.

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"enrollstation/devices/actatek/actateksim"
	"enrollstation/devices/clue/cluesim"
	"enrollstation/devices/ef45/ef45sim"
)

// simsChildEnv makes this test binary serve the simulators instead of running the tests:
// TestThreeStationsOnPostgres runs them in a process of their own, built without the race
// detector, so that three desks' captures are not slowed by the detector's instrumentation
// of the image rendering.
const simsChildEnv = "ENROLLCTL_TEST_SITE_SIMS"

func TestMain(m *testing.M) {
	if os.Getenv(simsChildEnv) != "" {
		os.Exit(serveSiteSims())
	}
	os.Exit(m.Run())
}

// siteAddrs is where the site's simulators answer, as the sims process prints it.
type siteAddrs struct {
	Cameras              [3]string // HOST:PORT
	Gate                 string    // HOST:PORT
	Lobby, Office, Cloud string    // URLs
	LobbyPin             string
	TermUser             [2]string
	TermPass             [2]string
	CloudKey             string
	Place                int64
	Control              string // URL of the test's own control surface
}

// holdings is what the sims process reports the targets hold of the keys asked about.
type holdings struct {
	GateSubjects int
	GateMissing  []string
	TermUsers    [2]int
	TermMissing  [2][]string
	CloudAuths   map[string]int // per key, every key the place holds
}

// deskPerson is the simulated person desk (0-based) captures as its i-th.
func deskPerson(desk, i int) int { return (desk+1)*1000 + 1 + i }

// serveSiteSims serves the demo organisation's devices on loopback until stdin closes: a
// capture camera per desk (one seed: a person shows the same eyes at every desk), the gate
// EF-45, the lobby terminal (TLS, pinned), the office terminal and the CLUe place; and a
// control surface: POST /person?camera=I&n=N, POST /holdings with the keys in JSON.
func serveSiteSims() int {
	var a siteAddrs
	var cams [3]*ef45sim.Device
	for i := range cams {
		cams[i] = ef45sim.New(ef45sim.Options{Seed: 7, CaptureDuration: 400 * time.Millisecond})
		cams[i].SetNextPerson(deskPerson(i, 0)) // each desk sees people of its own
		a.Cameras[i] = httptest.NewServer(cams[i]).Listener.Addr().String()
	}
	gate := ef45sim.New(ef45sim.Options{Seed: 8})
	a.Gate = httptest.NewServer(gate).Listener.Addr().String()
	var terms [2]*actateksim.Simulator
	for i := range terms {
		sim, err := actateksim.New(actateksim.Options{Seed: int64(20 + i), MaxUsers: 5000})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		terms[i] = sim
		a.TermUser[i], a.TermPass[i] = sim.Credentials().Username, sim.Credentials().Password
	}
	lobby := httptest.NewUnstartedServer(terms[0])
	lobby.TLS = terms[0].TLSConfig()
	lobby.Config.ErrorLog = log.New(io.Discard, "", 0)
	lobby.StartTLS()
	a.Lobby, a.LobbyPin = lobby.URL, terms[0].Fingerprint()
	a.Office = httptest.NewServer(terms[1]).URL
	// CLUe's 300 ms between calls to a place is kept by each station's own pacer; three
	// stations at once would meet it together and wait out 429s. The place takes calls
	// closer here, so the test measures the journal's part rather than the cloud's limit.
	clue := cluesim.New(cluesim.Options{Seed: 30, Spacing: 50 * time.Millisecond})
	a.Cloud, a.CloudKey, a.Place = httptest.NewServer(clue).URL, clue.APIKey(), cluesim.DemoPlace().ID
	mux := http.NewServeMux()
	mux.HandleFunc("POST /person", func(w http.ResponseWriter, r *http.Request) {
		var i, n int
		if _, err := fmt.Sscan(r.FormValue("camera"), &i); err != nil || i < 0 || i >= len(cams) {
			http.Error(w, "camera", http.StatusBadRequest)
			return
		}
		if _, err := fmt.Sscan(r.FormValue("n"), &n); err != nil {
			http.Error(w, "n", http.StatusBadRequest)
			return
		}
		cams[i].SetNextPerson(n)
	})
	mux.HandleFunc("POST /holdings", func(w http.ResponseWriter, r *http.Request) {
		var keys []string
		if err := json.NewDecoder(r.Body).Decode(&keys); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		h := holdings{GateSubjects: gate.State().Subjects, CloudAuths: map[string]int{}}
		for i, term := range terms {
			h.TermUsers[i] = term.Stats().Users
		}
		for _, k := range keys {
			if !gate.HasSubject(k) {
				h.GateMissing = append(h.GateMissing, k)
			}
			for i, term := range terms {
				if _, ok := term.User(k); !ok {
					h.TermMissing[i] = append(h.TermMissing[i], k)
				}
			}
		}
		for _, au := range clue.Auths(a.Place) {
			h.CloudAuths[au.Key]++
		}
		_ = json.NewEncoder(w).Encode(h)
	})
	a.Control = httptest.NewServer(mux).URL
	if err := json.NewEncoder(os.Stdout).Encode(a); err != nil {
		return 1
	}
	_, _ = io.Copy(io.Discard, os.Stdin) // until the test ends
	return 0
}

// startSiteSims builds this package's tests without the race detector and runs them as
// the sims process.
func startSiteSims(t *testing.T) *siteAddrs {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "sims.test")
	if out, err := exec.CommandContext(t.Context(), "go", "test", "-c", "-o", bin, "enrollstation/cmd/enrollctl").CombinedOutput(); err != nil {
		t.Fatalf("build the sims: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-test.run=^$")
	cmd.Env = append(os.Environ(), simsChildEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		_ = cmd.Wait()
	})
	var a siteAddrs
	if err := json.NewDecoder(out).Decode(&a); err != nil {
		t.Fatalf("the sims process said: %v", err)
	}
	return &a
}

// setPerson makes camera's next capture show person n.
func (a *siteAddrs) setPerson(camera, n int) error {
	resp, err := http.PostForm(a.Control+"/person", url.Values{"camera": {fmt.Sprint(camera)}, "n": {fmt.Sprint(n)}})
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("set the person: %s", resp.Status)
	}
	return nil
}

// checkHoldings checks each target holds every key once, and nothing else.
func (a *siteAddrs) checkHoldings(t *testing.T, keys []string) {
	t.Helper()
	b, err := json.Marshal(keys)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(a.Control+"/holdings", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h holdings
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	if h.GateSubjects != len(keys) || len(h.GateMissing) > 0 {
		t.Errorf("the gate holds %d subjects, want %d; it lacks %v", h.GateSubjects, len(keys), h.GateMissing)
	}
	for i := range h.TermUsers {
		if h.TermUsers[i] != len(keys) || len(h.TermMissing[i]) > 0 {
			t.Errorf("terminal %d holds %d users, want %d; it lacks %v", i+1, h.TermUsers[i], len(keys), h.TermMissing[i])
		}
	}
	for _, k := range keys {
		if h.CloudAuths[k] != 1 {
			t.Errorf("the CLUe place holds %d auths for %s, want 1", h.CloudAuths[k], k)
		}
	}
	if len(h.CloudAuths) != len(keys) {
		t.Errorf("the CLUe place holds auths for %d people, want %d", len(h.CloudAuths), len(keys))
	}
}
