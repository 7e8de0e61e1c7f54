package ef45

import (
	"context"
	"net/http"
	"net/url"
)

// List returns the buffered match results (GET /match-data).
func (m *MatchDataService) List(ctx context.Context) ([]MatchData, error) {
	var l List[MatchData]
	if err := m.s.get(ctx, "read match data", "match-data", nil, &l, limitLarge); err != nil {
		return nil, err
	}
	return l.Items, nil
}

// Delete empties one match result from the buffer (DELETE /match-data/{encounter_id}).
func (m *MatchDataService) Delete(ctx context.Context, encounterID string) error {
	return m.s.send(ctx, "delete match data", http.MethodDelete, "match-data/"+url.PathEscape(encounterID), nil, nil, nil)
}
