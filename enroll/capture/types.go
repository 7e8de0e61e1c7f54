package capture

import "enrollstation/devices/ef45"

// The camera's own types as the capture screen shows them: screens import the engine,
// never a device package.
type (
	// StartModes says what a capture takes: face, either or both eyes.
	StartModes = ef45.StartModes
	// Preview is one live frame with the camera's geometry and message.
	Preview = ef45.Preview
	// BiometricData is what a capture produced.
	BiometricData = ef45.BiometricData
	// Eye is one eye of BiometricData.
	Eye = ef45.Eye
	// DeviceError is an EF-45 failure with the device's own words.
	DeviceError = ef45.Error
)

// FaceFarOff is the colour face without glasses, the one pushed as the person's photo.
const FaceFarOff = ef45.FaceFarOff

// Camera failures a screen offers a way out of.
var (
	ErrLockLost    = ef45.ErrLockLost    // another workstation took it over
	ErrRebooting   = ef45.ErrRebooting   // restarting or installing firmware
	ErrUnreachable = ef45.ErrUnreachable // not answering on the network
)

// OpenCamera returns the camera at addr (HOST:PORT), remembering its lock in mem (nil:
// nowhere).
func OpenCamera(addr string, mem LockMemory) (*Camera, error) {
	c, err := ef45.New(addr)
	if err != nil {
		return nil, err
	}
	return NewCamera(c, mem), nil
}
