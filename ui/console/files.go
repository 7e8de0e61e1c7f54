package console

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

func (s *Screen) buildToolbar() fyne.CanvasObject {
	s.open = widget.NewButtonWithIcon(lang.X("console.open", "Open…"), theme.FolderOpenIcon(), s.Open)
	s.save = widget.NewButtonWithIcon(lang.X("console.save", "Save…"), theme.DocumentSaveIcon(), s.Save)
	s.fileStatus = widget.NewLabel("")
	s.fileStatus.Truncation = fyne.TextTruncateEllipsis
	s.fileDetails = widget.NewButtonWithIcon(lang.X("console.file.details", "Details"), theme.InfoIcon(), func() {
		dialog.ShowInformation(lang.X("console.file.details", "Details"), s.fileProblem, s.win)
	})
	s.fileDetails.Hide()
	return container.NewBorder(nil, nil, container.NewHBox(s.open, s.save), s.fileDetails, s.fileStatus)
}

func jsonFiles() storage.FileFilter { return storage.NewExtensionFileFilter([]string{".json"}) }

// Open asks for a configuration file and loads it, off the UI goroutine.
func (s *Screen) Open() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(err, s.win)
			return
		}
		if rc == nil {
			return // cancelled
		}
		go func() {
			defer rc.Close()
			_ = s.model.Load(rc.URI().Name(), rc) // the outcome is in the model's state
		}()
	}, s.win)
	d.SetFilter(jsonFiles())
	d.Show()
}

// Save asks where to write the configuration and writes it, off the UI goroutine.
func (s *Screen) Save() {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			dialog.ShowError(err, s.win)
			return
		}
		if wc == nil {
			return
		}
		go func() {
			name := wc.URI().Name()
			err := s.model.Save(name, wc)
			if cerr := wc.Close(); cerr != nil && err == nil {
				s.model.fileFailed(FileSaveFailed, name, fmt.Errorf("close the file: %w", cerr))
			}
		}()
	}, s.win)
	d.SetFilter(jsonFiles())
	name := s.model.State().FileName
	if name == "" {
		name = "vendor-api.json"
	}
	d.SetFileName(name)
	d.Show()
}

func (s *Screen) refreshFile(st State) {
	data := map[string]any{"Name": st.FileName}
	var text string
	s.fileStatus.Importance = widget.MediumImportance
	switch st.FileAction {
	case FileLoaded:
		text = lang.X("console.file.loaded", "Opened {{.Name}}.", data)
	case FileSaved:
		text = lang.X("console.file.saved", "Saved {{.Name}}. It holds the header values as typed: keep it safe.", data)
	case FileLoadFailed:
		text = lang.X("console.file.loadFailed", "Could not open {{.Name}} as a vendor API configuration; the form is unchanged.", data)
		s.fileStatus.Importance = widget.DangerImportance
	case FileSaveFailed:
		text = lang.X("console.file.saveFailed", "Could not save {{.Name}}.", data)
		s.fileStatus.Importance = widget.DangerImportance
	}
	s.fileStatus.SetText(text)
	s.fileProblem = st.FileProblem
	s.relayout = setVisible(s.fileDetails, st.FileProblem != "") || s.relayout
}
