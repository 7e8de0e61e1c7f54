package clue

import "fmt"

// LoginBody is the request of the phone login (spec 001 "Login"). 001 returns a refresh
// token but documents no call that takes it, so a refused access token is renewed by logging
// in again (auth.go); the refresh token is kept for callers.
type LoginBody struct {
	CountryCode    string `json:"countryCode"`
	Phone          string `json:"phone"`
	Password       string `json:"password"`
	AccountType    string `json:"accountType"`
	AuthDeviceType string `json:"authDeviceType"`
}

// LoginData is "data" of the phone login answer.
type LoginData struct {
	AccountID     Int    `json:"accountId"`
	AccountType   string `json:"accountType"`
	AccountStatus string `json:"accountStatus"`
	Name          string `json:"name"`
	CountryCode   string `json:"countryCode"`
	Phone         string `json:"phone"`
	AccessToken   string `json:"accessToken"`
	RefreshToken  string `json:"refreshToken"`
}

// LoginAnswer is the answer of the phone login.
type LoginAnswer struct {
	Envelope
	Data *LoginData `json:"data"`
}

// DecodeLogin reads a phone login answer; it is an error when there is no access token.
func DecodeLogin(b []byte) (*LoginAnswer, error) {
	var a LoginAnswer
	if err := decodeJSON(b, &a); err != nil {
		return nil, err
	}
	if a.Data == nil || a.Data.AccessToken == "" {
		return nil, fmt.Errorf("the answer carries no access token")
	}
	return &a, nil
}
