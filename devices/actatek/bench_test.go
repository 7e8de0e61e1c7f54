package actatek_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"enrollstation/devices/actatek"
	"enrollstation/devices/actatek/actateksim"
)

// The push benchmark: 1,000 users with a ~30 KB JPEG each, pushed as addUsers batches
// of DefaultBatchSize by a client in a child process, to the simulator on an in-process
// HTTPS server. users/s is the child's push time; MiB-peak-RSS is the child's VmHWM
// (Linux /proc/self/status), so the simulator's memory is not counted.

const (
	pushChildEnv = "ACTATEK_PUSH_CHILD"
	pushUsers    = 1000
	photoW       = 344 // with photoH, a ~30 KB FacePhoto
	photoH       = 448
)

type pushReport struct {
	Users    int     `json:"users"`
	Failed   int     `json:"failed"`
	Seconds  float64 `json:"seconds"`
	VmHWMKiB int64   `json:"vmhwm_kib"`
	PhotoKiB float64 `json:"photo_kib"`
}

func BenchmarkPushUsers(b *testing.B) {
	var secs, rss, photo float64
	for range b.N {
		f := newFixture(b, actateksim.Options{MaxUsers: pushUsers})
		cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^$")
		cmd.Env = append(os.Environ(), pushChildEnv+"=1", "ACTATEK_PUSH_URL="+f.srv.URL, "ACTATEK_PUSH_PIN="+f.sim.Fingerprint())
		cmd.Stdin = strings.NewReader(f.sim.Credentials().Password + "\n")
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("push child: %v\n%s", err, out)
		}
		var rep pushReport
		if err := json.Unmarshal(out, &rep); err != nil {
			b.Fatalf("push child report %q: %v", out, err)
		}
		if rep.Failed != 0 || rep.Users != pushUsers || len(f.sim.UserIDs()) != pushUsers {
			b.Fatalf("pushed %d, failed %d, terminal has %d", rep.Users, rep.Failed, len(f.sim.UserIDs()))
		}
		secs += rep.Seconds
		rss = max(rss, float64(rep.VmHWMKiB)/1024)
		photo = rep.PhotoKiB
	}
	b.ReportMetric(float64(pushUsers*b.N)/secs, "users/s")
	if rss > 0 {
		b.ReportMetric(rss, "MiB-peak-RSS")
	} else {
		b.Log("no /proc/self/status here: peak RSS not measured")
	}
	b.ReportMetric(photo, "KiB/photo")
}

// runPushChild is the client side of BenchmarkPushUsers. It reads the password from
// standard input and prints a pushReport.
func runPushChild() int {
	pw, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil {
		fmt.Fprintln(os.Stderr, "push child: read password:", err)
		return 1
	}
	c, err := actatek.New(os.Getenv("ACTATEK_PUSH_URL"), actatek.Options{
		Credentials: actatek.Credentials{Username: "admin", Password: strings.TrimSpace(pw)},
		PinSHA256:   os.Getenv("ACTATEK_PUSH_PIN"),
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "push child:", err)
		return 1
	}
	defer c.Close()
	// Distinct photos are made by giving a few base JPEGs a unique comment segment, as
	// cheap as reading them from the journal, so the figure is the push alone.
	bases := make([][]byte, 8)
	for i := range bases {
		bases[i] = actateksim.FacePhoto(int64(1000+i), photoW, photoH)
	}
	photoKiB := float64(len(bases[0])) / 1024
	rng := rand.New(rand.NewPCG(1, 2))
	build := func(n int) actatek.User {
		base := bases[n%len(bases)]
		comment := fmt.Sprintf("enroll %06d", n)
		photo := make([]byte, 0, len(base)+4+len(comment))
		photo = append(photo, base[:2]...)
		photo = append(photo, 0xFF, 0xFE, 0, byte(2+len(comment)))
		photo = append(photo, comment...)
		photo = append(photo, base[2:]...)
		tmpl := make([]byte, 512)
		for i := range tmpl {
			tmpl[i] = byte(rng.Uint32())
		}
		return actatek.User{
			UserID: fmt.Sprintf("P%06d", n), FirstName: "Bench", LastName: strconv.Itoa(n),
			FacialRecords: actatek.List[actatek.FacialRecord]{{TemplateType: 2, Template: tmpl, Photo: photo}},
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	failed := 0
	start := time.Now()
	for from := 0; from < pushUsers; from += actatek.DefaultBatchSize {
		batch := make([]actatek.User, 0, actatek.DefaultBatchSize)
		for n := from; n < min(from+actatek.DefaultBatchSize, pushUsers); n++ {
			batch = append(batch, build(n))
		}
		res, err := c.Users.Push(ctx, batch, actatek.DefaultBatchSize)
		if err != nil {
			fmt.Fprintln(os.Stderr, "push child:", err)
		}
		for _, r := range res {
			if r.Err != nil {
				failed++
			}
		}
	}
	secs := time.Since(start).Seconds()
	json.NewEncoder(os.Stdout).Encode(pushReport{Users: pushUsers, Failed: failed, Seconds: secs, VmHWMKiB: vmHWM(), PhotoKiB: photoKiB})
	return 0
}

// vmHWM is this process's peak resident set size in KiB, from /proc/self/status; 0 where
// there is no /proc.
func vmHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return n
		}
	}
	return 0
}
