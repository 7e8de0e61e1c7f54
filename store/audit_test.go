package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestAuditAndLog(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	t0 := time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)
	events := []AuditEvent{
		{At: t0, Operator: "op1", Action: ActionDuplicate, PersonKey: "k1", Detail: "duplicate of k9 rejected: different person"},
		{At: t0.Add(time.Minute), Operator: "tech", Action: ActionFirmware, Target: 3, Detail: "EF45 1.2.40 uploaded (normal)"},
		{At: t0.Add(2 * time.Minute), Operator: "op1", Action: ActionDuplicate, PersonKey: "k2", Detail: "kept"},
	}
	for _, e := range events {
		if err := s.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.AuditLog(ctx, AuditQuery{})
	if err != nil || len(all) != 3 || all[0].PersonKey != "k2" || all[2].Detail != events[0].Detail || !all[2].At.Equal(t0) {
		t.Fatalf("AuditLog = %+v, %v", all, err)
	}
	if got, _ := s.AuditLog(ctx, AuditQuery{PersonKey: "k1"}); len(got) != 1 || got[0].Action != ActionDuplicate {
		t.Fatalf("by person: %+v", got)
	}
	if got, _ := s.AuditLog(ctx, AuditQuery{Action: ActionFirmware}); len(got) != 1 || got[0].Target != 3 {
		t.Fatalf("by action: %+v", got)
	}
	if got, _ := s.AuditLog(ctx, AuditQuery{Since: t0.Add(time.Minute)}); len(got) != 2 {
		t.Fatalf("since: %+v", got)
	}
	if got, _ := s.AuditLog(ctx, AuditQuery{Limit: 1}); len(got) != 1 || got[0].PersonKey != "k2" {
		t.Fatalf("limit: %+v", got)
	}
	if err := s.Audit(ctx, AuditEvent{Action: ActionErase}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("audit without operator: %v", err)
	}
	// At defaults to now.
	before := time.Now().Add(-time.Second)
	if err := s.Audit(ctx, AuditEvent{Operator: "op1", Action: ActionSetting}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.AuditLog(ctx, AuditQuery{Action: ActionSetting}); len(got) != 1 || got[0].At.Before(before) {
		t.Fatalf("default time: %+v", got)
	}
}
