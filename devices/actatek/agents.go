package actatek

import (
	"context"
	"net/http"
	"net/url"
)

// AgentService manages the agents the terminal sends its events to (spec 9).
type AgentService service

func pathAgent(sid string) string { return seg("agent", sid) }

// Register adds an agent endpoint (register Agent, 9.1).
func (s *AgentService) Register(ctx context.Context, a AgentRegistration) error {
	if a.URL == "" {
		return invalid("registerAgent", "the agent URL is required")
	}
	return s.c.writeOne(ctx, request{call: "registerAgent", method: http.MethodPost, path: pathAgent, body: a})
}

// Unregister removes the agent at agentURL (unregister Agent, 9.2).
func (s *AgentService) Unregister(ctx context.Context, agentURL string) error {
	if agentURL == "" {
		return invalid("unregisterAgent", "the agent URL is required")
	}
	return s.c.writeOne(ctx, request{call: "unregisterAgent", method: http.MethodDelete, path: pathAgent,
		query: url.Values{"url": {agentURL}}})
}

// List returns the registered agents (get Registered Agents, 9.3).
func (s *AgentService) List(ctx context.Context) ([]Agent, error) {
	var out List[Agent]
	err := s.c.do(ctx, request{call: "getAgents", method: http.MethodGet, path: pathAgent}, &out)
	return out, err
}

// AgentRegistration is the body of registerAgent (9.1).
type AgentRegistration struct {
	URL          string `json:"url"`
	AgentVersion string `json:"agentVersion,omitempty"`
	Magic        string `json:"magic,omitempty"`
	InitSync     bool   `json:"initSync"`
}

// Agent is one registered agent (9.3).
type Agent struct {
	URL              string   `json:"url"`
	RegistrationTime DateTime `json:"registrationTime"`
	LastUpdate       DateTime `json:"lastUpdate"`
	LastCheck        DateTime `json:"lastCheck"`
	LastCheckStatus  Bool     `json:"lastCheckStatus"`
	Active           Bool     `json:"active"`
}
