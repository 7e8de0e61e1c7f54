package console

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"enrollstation/enroll"
	"enrollstation/ui/observe"
)

// uiRunner runs fn on the UI goroutine; in the app it is fyne.Do.
type uiRunner func(fn func())

// Screen shows a Model: the configuration form on the left with a message beside each
// input, and the test console on the right with the request, response, class and judgment
// of the last call. Its widgets are made once (rows when their number changes); state
// changes only update them, on the UI goroutine.
type Screen struct {
	model *Model
	win   fyne.Window
	ctx   context.Context
	run   uiRunner
	dirty observe.Coalescer // a refresh is queued on the UI goroutine

	name, url                *widget.Entry
	nameMsg, urlMsg, authMsg *widget.Label
	authType                 *widget.Select

	headers              *fyne.Container
	headerRows           []*headerRow
	headersMsg           *widget.Label
	addHeader, addManual *widget.Button
	autos                *fyne.Container
	autoRows             []*autoRow
	manuals              *fyne.Container
	manualRows           []*manualRow
	fieldsMsg            *widget.Label

	codes, resultKey, resultValue, successMsg, failureMsg *widget.Entry
	resultType                                            *widget.Select
	codesMsg, resultMsg, successMsgMsg, failureMsgMsg     *widget.Label
	judgmentMsg                                           *widget.Label

	deviceID, inputValue  *widget.Entry
	inputLabel            *widget.Label
	deviceIDMsg, inputMsg *widget.Label
	execute, cancel       *widget.Button
	progress              *widget.ProgressBarInfinite

	open, save  *widget.Button
	fileStatus  *widget.Label
	fileDetails *widget.Button
	fileProblem string
	result      *resultView
	content     fyne.CanvasObject
	// refreshing: the screen is showing the model's state, so the inputs' change handlers
	// must not write it back half-updated.
	refreshing  bool
	unsubscribe func()
	// relayout: an object was shown or hidden during this refresh.
	relayout bool
}

// NewScreen builds the console for m in win (the parent of its file dialogs) and
// subscribes it to m's changes; test calls run under ctx. Call it on the UI goroutine.
func NewScreen(ctx context.Context, m *Model, win fyne.Window) *Screen {
	return newScreen(ctx, m, win, fyne.Do)
}

func newScreen(ctx context.Context, m *Model, win fyne.Window, run uiRunner) *Screen {
	s := &Screen{model: m, win: win, ctx: ctx, run: run}
	s.build()
	s.unsubscribe = m.Subscribe(s.changed)
	s.refresh()
	return s
}

// Close stops following the model and cancels a running test; the shell calls it when the
// screen goes away.
func (s *Screen) Close() {
	s.unsubscribe()
	s.model.Cancel()
}

// Content is the screen's root object.
func (s *Screen) Content() fyne.CanvasObject { return s.content }

// AddShortcuts puts the screen's actions on a canvas: Ctrl+Enter runs the test, Ctrl+.
// cancels it, Ctrl+O opens and Ctrl+S saves a configuration.
func (s *Screen) AddShortcuts(c fyne.Canvas) {
	mod := fyne.KeyModifierShortcutDefault
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: mod}, func(fyne.Shortcut) { s.Execute() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyPeriod, Modifier: mod}, func(fyne.Shortcut) { s.model.Cancel() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: mod}, func(fyne.Shortcut) { s.Open() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: mod}, func(fyne.Shortcut) { s.Save() })
}

// Execute runs a test call of the form.
func (s *Screen) Execute() { s.model.Run(s.ctx) }

// message makes the label that shows a field's messages beside it.
func message() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// showMessages shows the messages of fields in l, each worded by its rule, or hides l when there are none.
func (s *Screen) showMessages(l *widget.Label, st State, fields ...string) {
	var all []string
	for _, f := range fields {
		for i, m := range st.Messages[f] {
			if i < len(st.Rules[f]) {
				m = ruleText(st.Rules[f][i], m)
			}
			all = append(all, m)
		}
	}
	text := strings.Join(all, "\n")
	if l.Text != text {
		l.SetText(text)
	}
	s.relayout = setVisible(l, text != "") || s.relayout
}

// setVisible shows or hides o and reports whether that changed: the containers are then
// laid out again, since showing a child does not resize its parents.
func setVisible(o fyne.CanvasObject, on bool) bool {
	if o.Visible() == on {
		return false
	}
	if on {
		o.Show()
	} else {
		o.Hide()
	}
	return true
}

// setEntry changes an entry's text only when it differs, so the technician's cursor stays.
func setEntry(e *widget.Entry, text string) {
	if e.Text != text {
		e.SetText(text)
	}
}

func setSelect(sel *widget.Select, v string) {
	switch {
	case v == "" && sel.Selected != "":
		sel.ClearSelected()
	case v != "" && sel.Selected != v:
		sel.SetSelected(v)
	}
}

// labelled is a form row: the label, then the input with its messages under it.
func labelled(label string, input fyne.CanvasObject, msgs ...*widget.Label) []fyne.CanvasObject {
	col := container.NewVBox(input)
	for _, m := range msgs {
		col.Add(m)
	}
	return []fyne.CanvasObject{widget.NewLabel(label), col}
}

func (s *Screen) build() {
	s.name = widget.NewEntry()
	s.name.OnChanged = s.on(s.model.SetName)
	s.url = widget.NewEntry()
	s.url.SetPlaceHolder("https://vendor.example/verify")
	s.url.OnChanged = s.on(s.model.SetURL)
	var types []string
	for _, t := range enroll.VendorAuthTypes() {
		types = append(types, string(t))
	}
	s.authType = widget.NewSelect(types, s.on(func(v string) { s.model.SetAuthType(enroll.VendorAuthType(v)) }))
	s.authType.PlaceHolder = lang.X("console.select_one", "(Select one)")
	s.nameMsg, s.urlMsg, s.authMsg = message(), message(), message()
	// Spec 002 5.2: CLUe only ever POSTs application/json; the method is shown, not chosen.
	method := widget.NewLabel(lang.X("console.method.post", "POST, Content-Type: application/json (fixed by CLUe)"))
	basic := container.New(layout.NewFormLayout(), concat(
		labelled(lang.X("console.name", "Name"), s.name, s.nameMsg),
		labelled(lang.X("console.authType", "Auth type"), s.authType, s.authMsg),
		labelled(lang.X("console.url", "Webhook URL"), s.url, s.urlMsg),
		[]fyne.CanvasObject{widget.NewLabel(lang.X("console.method", "Method")), method},
	)...)

	s.headers = container.NewVBox()
	s.headersMsg = message()
	s.addHeader = widget.NewButtonWithIcon(lang.X("console.headers.add", "Add header"), theme.ContentAddIcon(), s.model.AddHeader)
	headers := container.NewVBox(s.headers, s.headersMsg, container.NewHBox(s.addHeader))

	s.autos = container.NewVBox()
	s.manuals = container.NewVBox()
	s.fieldsMsg = message()
	s.addManual = widget.NewButtonWithIcon(lang.X("console.manual.add", "Add manual field"), theme.ContentAddIcon(), s.model.AddManualField)
	manuals := container.NewVBox(s.manuals, s.fieldsMsg, container.NewHBox(s.addManual))

	s.buildJudgment()
	judgment := container.NewVBox(
		container.New(layout.NewFormLayout(), concat(
			labelled(lang.X("console.statusCodes", "Success status codes"), s.codes, s.codesMsg),
			labelled(lang.X("console.successResult", "Success result"),
				container.NewGridWithColumns(3, s.resultKey, s.resultValue, s.resultType), s.resultMsg),
			labelled(lang.X("console.successMessage", "Success message JSONPath"), s.successMsg, s.successMsgMsg),
			labelled(lang.X("console.failureMessage", "Failure message JSONPath"), s.failureMsg, s.failureMsgMsg),
		)...),
		s.judgmentMsg)

	editor := container.NewVBox(
		widget.NewCard(lang.X("console.basic", "Basic information"), "", basic),
		widget.NewCard(lang.X("console.headers", "Custom headers"), lang.X("console.headers.note", "Content-Type and Accept are sent by CLUe"), headers),
		widget.NewCard(lang.X("console.auto", "Auto fields"), lang.X("console.auto.note", "Checked fields are sent; the value is filled in by CLUe"), s.autos),
		widget.NewCard(lang.X("console.manual", "Manual fields"), "", manuals),
		widget.NewCard(lang.X("console.judgment", "Judgment criteria"), lang.X("console.judgment.note", "Status codes, a success result, or both"), judgment),
	)

	s.content = container.NewBorder(s.buildToolbar(), nil, nil, nil,
		// Both sides scroll: the messages that wrap beside fields must never grow the window.
		container.NewHSplit(container.NewVScroll(editor), container.NewVScroll(s.buildTest())))
}

func (s *Screen) buildJudgment() {
	s.codes = widget.NewEntry()
	s.codes.SetPlaceHolder("200, 201")
	s.codes.OnChanged = s.on(s.model.SetStatusCodes)
	s.resultKey = widget.NewEntry()
	s.resultKey.SetPlaceHolder("$.valid")
	s.resultValue = widget.NewEntry()
	s.resultValue.SetPlaceHolder("true")
	s.resultType = widget.NewSelect([]string{string(enroll.VendorBoolean), string(enroll.VendorString), string(enroll.VendorNumber)}, nil)
	s.resultType.PlaceHolder = lang.X("console.select_one", "(Select one)")
	s.resultType.PlaceHolder = lang.X("console.successResult.type", "Data format")
	setResult := s.on(func(string) {
		s.model.SetSuccessResult(s.resultKey.Text, s.resultValue.Text, enroll.VendorFieldType(s.resultType.Selected))
	})
	s.resultKey.OnChanged, s.resultValue.OnChanged, s.resultType.OnChanged = setResult, setResult, setResult
	s.successMsg = widget.NewEntry()
	s.successMsg.SetPlaceHolder("$.message")
	s.successMsg.OnChanged = s.on(s.model.SetSuccessMessage)
	s.failureMsg = widget.NewEntry()
	s.failureMsg.SetPlaceHolder("$.message")
	s.failureMsg.OnChanged = s.on(s.model.SetFailureMessage)
	s.codesMsg, s.resultMsg, s.successMsgMsg, s.failureMsgMsg, s.judgmentMsg = message(), message(), message(), message(), message()
}

func (s *Screen) buildTest() fyne.CanvasObject {
	s.deviceID = widget.NewEntry()
	s.deviceID.SetPlaceHolder("123456789")
	s.deviceID.OnChanged = s.on(s.model.SetDeviceID)
	s.deviceID.OnSubmitted = func(string) { s.Execute() }
	s.inputValue = widget.NewEntry()
	s.inputValue.OnChanged = s.on(s.model.SetInputValue)
	s.inputValue.OnSubmitted = func(string) { s.Execute() }
	s.inputLabel = widget.NewLabel("")
	s.deviceIDMsg, s.inputMsg = message(), message()
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel(lang.X("console.deviceId", "Device ID")), container.NewVBox(s.deviceID, s.deviceIDMsg),
		s.inputLabel, container.NewVBox(s.inputValue, s.inputMsg))

	s.execute = widget.NewButtonWithIcon(lang.X("console.execute", "Execute test"), theme.MediaPlayIcon(), s.Execute)
	s.execute.Importance = widget.HighImportance
	s.cancel = widget.NewButtonWithIcon(lang.X("console.cancel", "Cancel"), theme.CancelIcon(), s.model.Cancel)
	s.progress = widget.NewProgressBarInfinite()
	s.progress.Hide()
	s.result = newResultView(func(i int, u Use) { _ = s.model.UseField(i, u) })
	top := container.NewVBox(form, container.NewHBox(s.execute, s.cancel), s.progress)
	return widget.NewCard(lang.X("console.test", "API test console"), "",
		container.NewBorder(top, nil, nil, nil, container.NewVScroll(s.result.content)))
}

// on wraps an input's change handler so that it ignores the changes refresh makes.
func (s *Screen) on(fn func(string)) func(string) {
	return func(v string) {
		if !s.refreshing {
			fn(v)
		}
	}
}

func concat(parts ...[]fyne.CanvasObject) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// changed is the model's observer. Refreshes are coalesced: at most one waits on the UI
// goroutine, and it shows the newest state.
func (s *Screen) changed() {
	s.dirty.Post(s.run, s.refresh)
}

// refresh shows the model's current state. It runs on the UI goroutine.
func (s *Screen) refresh() {
	st := s.model.State()
	s.refreshing = true
	defer func() { s.refreshing = false }()
	c := st.Config
	setEntry(s.name, c.Name)
	setEntry(s.url, c.WebhookURL)
	setSelect(s.authType, string(c.AuthType))
	s.showMessages(s.nameMsg, st, FieldName)
	s.showMessages(s.urlMsg, st, FieldURL)
	s.showMessages(s.authMsg, st, FieldAuthType)

	s.refreshHeaders(st)
	s.refreshAutos(st)
	s.refreshManuals(st)
	s.showMessages(s.fieldsMsg, st, FieldFields)

	setEntry(s.codes, st.StatusCodes)
	r := c.Judgment.SuccessResult
	if r == nil {
		r = &enroll.VendorSuccessResult{}
	}
	setEntry(s.resultKey, r.Key)
	setEntry(s.resultValue, string(r.Value))
	setSelect(s.resultType, string(r.Type))
	setEntry(s.successMsg, c.Judgment.SuccessMessage)
	setEntry(s.failureMsg, c.Judgment.FailureMessage)
	s.showMessages(s.codesMsg, st, FieldStatusCodes)
	s.showMessages(s.resultMsg, st, FieldResult, FieldResultKey, FieldResultValue, FieldResultType)
	s.showMessages(s.successMsgMsg, st, FieldSuccessMessage)
	s.showMessages(s.failureMsgMsg, st, FieldFailureMessage)
	s.showMessages(s.judgmentMsg, st, FieldJudgment)

	setEntry(s.deviceID, st.Input.DeviceID)
	setEntry(s.inputValue, st.InputValue())
	s.inputLabel.SetText(inputLabel(InputField(c.AuthType)))
	s.showMessages(s.deviceIDMsg, st, FieldDeviceID)
	s.showMessages(s.inputMsg, st, InputField(c.AuthType))

	if st.Running {
		s.execute.Disable()
		s.cancel.Enable()
		s.relayout = setVisible(s.progress, true) || s.relayout
		s.progress.Start()
	} else {
		s.execute.Enable()
		s.cancel.Disable()
		s.progress.Stop()
		s.relayout = setVisible(s.progress, false) || s.relayout
	}
	s.refreshFile(st)
	if s.result.show(st.Result, st.Running) || s.relayout {
		s.content.Refresh()
	}
	s.relayout = false
}

func inputLabel(field string) string {
	switch field {
	case FieldCardNumber:
		return lang.X("console.input.card", "Card number")
	case FieldPIN:
		return lang.X("console.input.pin", "PIN")
	case FieldQRCode:
		return lang.X("console.input.qr", "QR payload")
	}
	return lang.X("console.input.userKey", "User key")
}
