package cluesim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"enrollstation/devices/clue"
)

// login is spec 001 "Login".
func (s *Server) login(r *http.Request) reply {
	var in clue.LoginBody
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		return errorsReply(http.StatusBadRequest, "INVALID_PARAMETER", "the body is not JSON: %v", err)
	}
	for name, v := range map[string]string{"countryCode": in.CountryCode, "phone": in.Phone, "password": in.Password,
		"accountType": in.AccountType, "authDeviceType": in.AuthDeviceType} {
		if v == "" {
			return errorsReply(http.StatusBadRequest, "INVALID_PARAMETER", "%s is required", name)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.account
	if !strings.EqualFold(in.CountryCode, a.CountryCode) || in.Phone != a.Phone || in.Password != a.Password {
		return errorsReply(http.StatusUnauthorized, "LOGIN_FAILED", "the phone number or the password is wrong")
	}
	if in.AccountType != a.AccountType {
		return errorsReply(http.StatusUnauthorized, "LOGIN_FAILED", "the account is not of type %s", in.AccountType)
	}
	now := time.Now()
	access := s.newToken("ac", now, s.tokenTTL)
	refresh := s.newToken("re", now, 30*24*time.Hour)
	s.tokens[access] = token{expires: now.Add(s.tokenTTL)}
	s.tokens[refresh] = token{expires: now.Add(30 * 24 * time.Hour), refresh: true}
	s.logins++
	return okReply(envelope(clue.LoginData{
		AccountID:     clue.Int(a.AccountID),
		AccountType:   a.AccountType,
		AccountStatus: "ACTIVE",
		Name:          a.Name,
		CountryCode:   a.CountryCode,
		Phone:         a.Phone,
		AccessToken:   access,
		RefreshToken:  refresh,
	}))
}

// newToken makes a JWT-shaped token like the samples' (header.claims.signature); the
// signature part comes from the seeded generator. Called with s.mu held.
func (s *Server) newToken(kind string, now time.Time, ttl time.Duration) string {
	claims := fmt.Sprintf(`{"ttc":%q,"dtc":"ma","exp":%d,"ric":%d,"iat":%d}`, kind, now.Add(ttl).Unix(), s.account.AccountID, now.Unix())
	sig := make([]byte, 32)
	for i := range sig {
		sig[i] = byte(s.rng.Uint32())
	}
	return b64url([]byte(`{"typ":"JWT","alg":"HS256"}`)) + "." + b64url([]byte(claims)) + "." + b64url(sig)
}
