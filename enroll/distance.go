// Package enroll holds the enrollment engine: preview rendering here, the capture session
// in enroll/capture, and (as they arrive) the push pipeline, firmware upload and erase.
package enroll

import "enrollstation/devices/ef45"

// distanceMM is the person's distance from the camera in millimetres for the preview's
// distance bar: the average the camera reports, or, when that is unknown (-1,
// specs/README.md), the mean of the eye distances it knows: the same reading as the
// capture guidance's (enroll/capture), so the bar and the words agree.
func distanceMM(p *ef45.Preview) (int, bool) {
	if p.AvgDistance > 0 {
		return int(p.AvgDistance / 1000), true
	}
	sum, n := ef45.Int(0), ef45.Int(0)
	for _, d := range []ef45.Int{p.LeftDistance, p.RightDistance} {
		if d > 0 {
			sum += d
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return int(sum / n / 1000), true
}
