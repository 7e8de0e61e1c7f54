package ef45

import (
	"context"
	"encoding/json"
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

// MatchData is an item of GET /match-data.
type MatchData struct {
	EncounterID string    `json:"encounter_id"`
	Timestamp   Timestamp `json:"timestamp"`
	UserUUID    string    `json:"user_uuid"`
	Matched     Bool      `json:"matched"`
	Score       Float     `json:"score"`
	FaceImage   []byte    `json:"face_image"`
}

// UnmarshalJSON decodes encounter_id and user_uuid as text or number.
func (v *MatchData) UnmarshalJSON(b []byte) error {
	type plain MatchData
	w := struct {
		*plain
		EncounterID Text `json:"encounter_id"`
		UserUUID    Text `json:"user_uuid"`
	}{(*plain)(v), Text(v.EncounterID), Text(v.UserUUID)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v.EncounterID = string(w.EncounterID)
	v.UserUUID = string(w.UserUUID)
	return nil
}
