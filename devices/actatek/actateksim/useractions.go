package actateksim

import (
	"encoding/json"
	"time"

	"enrollstation/devices/actatek"
)

func (s *Simulator) userArg(c *call) (*actatek.User, reply) {
	id := c.arg(1)
	u := s.st.users[id]
	if u == nil {
		return nil, refuse("User %s %s", id, actatek.MsgNotFound)
	}
	return u, reply{}
}

// handleActivate is POST activateUser/{sessionid}/{userID} (3.7).
func handleActivate(s *Simulator, c *call) reply { return s.setActive(c, true) }

// handleDeactivate is DELETE activateUser/{sessionid}/{userID} (3.8).
func handleDeactivate(s *Simulator, c *call) reply { return s.setActive(c, false) }

func (s *Simulator) setActive(c *call, active bool) reply {
	u, rep := s.userArg(c)
	if u == nil {
		return rep
	}
	st := actatek.UserStatus{}
	if u.Status != nil {
		st = *u.Status
	}
	st.Active = actatek.Flag(active)
	u.Status = wholeStatus(st)
	return ok(actatek.Result{Status: actatek.StatusSuccess})
}

// handleGetMessage is GET UserMessage/{sessionid}/{userID} (3.9).
func handleGetMessage(s *Simulator, c *call) reply {
	u, rep := s.userArg(c)
	if u == nil {
		return rep
	}
	return ok(map[string]string{"usermessage": u.Message})
}

// handleSetMessage is POST UserMessage/{sessionid}/{userID} (3.10).
func handleSetMessage(s *Simulator, c *call) reply {
	u, rep := s.userArg(c)
	if u == nil {
		return rep
	}
	var body struct {
		UserMessage *string `json:"usermessage"`
	}
	if err := json.Unmarshal(c.body, &body); err != nil || body.UserMessage == nil {
		return refuse("the body must be {\"usermessage\": \"...\"}")
	}
	u.Message = *body.UserMessage
	return ok(actatek.Result{Status: actatek.StatusSuccess})
}

// handleDeleteMessage is DELETE UserMessage/{sessionid}/{userID} (3.11).
func handleDeleteMessage(s *Simulator, c *call) reply {
	u, rep := s.userArg(c)
	if u == nil {
		return rep
	}
	u.Message = ""
	return ok(actatek.Result{Status: actatek.StatusSuccess})
}

// handleTOTP is GET UserAPITOTP/{sessionid}/{userid}/{TOTPType} (3.14).
func handleTOTP(s *Simulator, c *call) reply {
	u, rep := s.userArg(c)
	if u == nil {
		return rep
	}
	format := c.arg(2)
	switch format {
	case actatek.TOTPPNG, actatek.TOTPSVG, actatek.TOTPANSI, actatek.TOTPPlainText, actatek.TOTPPasscode:
	default:
		format = actatek.TOTPPNG // 3.14: "any wrong pattern default as PNG"
	}
	now := s.terminalNow().UTC()
	step := now.Unix() / totpStep
	expiry := time.Unix((step+1)*totpStep, 0).UTC()
	code := totpCode(s.totpSecret(u.UserID), step)
	content := totpContent(u.UserID, s.opts.SerialNumber, code, expiry)
	var data string
	switch format {
	case actatek.TOTPPasscode:
		data = code
	case actatek.TOTPPlainText:
		data = content
	case actatek.TOTPSVG:
		data = b64(qrSVG(content))
	case actatek.TOTPANSI:
		data = b64([]byte(qrANSI(content)))
	default:
		data = b64(qrPNG(content))
	}
	return ok(actatek.TOTP{Format: format, Expiry: actatek.UTC(expiry), Data: data})
}
