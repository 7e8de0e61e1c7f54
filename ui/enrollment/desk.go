package enrollment

import "time"

// DeskEngine is what the person form takes from the engine besides the flow: the card
// reader at the desk, and the terminals' departments and access groups. *enroll.Station
// has both.
type DeskEngine interface {
	CardReader
	DirectorySource
}

// Desk holds the person form's helpers: Read card, and the lists of the department and
// access-group pickers.
type Desk struct {
	Card      *CardModel
	Directory *DirectoryModel
}

// NewDesk reads cards into f's form and lists through eng; cardTimeout bounds each read
// (DefaultCardTimeout when 0). Call Close when done.
func NewDesk(eng DeskEngine, f *Flow, cardTimeout time.Duration) *Desk {
	return &Desk{Card: NewCardModel(eng, f.SetCard, cardTimeout), Directory: NewDirectoryModel(eng)}
}

// Close stops a read and a load, and waits for them.
func (d *Desk) Close() {
	d.Card.Close()
	d.Directory.Close()
}
