package uitest

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// NewLoopApp starts a Fyne test app whose fyne.Do and fyne.DoAndWait post to the returned
// loop, for code that calls them directly (the app shell): the test goroutine runs the
// work while it pumps, as Fyne's UI goroutine would. The test driver alone would run it at
// once on the calling goroutine, racing the test's reads of the widgets. Never call
// fyne.DoAndWait from the test goroutine itself: nothing pumps while it waits.
func NewLoopApp(t testing.TB) *Loop {
	t.Helper()
	a := test.NewTempApp(t)
	l := NewLoop()
	fyne.SetCurrentApp(loopApp{App: a, driver: loopDriver{Driver: a.Driver(), loop: l}})
	return l
}

type loopApp struct {
	fyne.App
	driver fyne.Driver
}

func (a loopApp) Driver() fyne.Driver { return a.driver }

type loopDriver struct {
	fyne.Driver
	loop *Loop
}

func (d loopDriver) DoFromGoroutine(fn func(), wait bool) { d.loop.Do(fn, wait) }
