package exporter_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/slocatalog/slocatalog/openslo"
	"github.com/slocatalog/slocatalog/openslo/catalogyaml"
	"github.com/slocatalog/slocatalog/openslo/exporter"
	"github.com/slocatalog/slocatalog/openslo/importer"
	"github.com/slocatalog/slocatalog/pipeline"
	"github.com/slocatalog/slocatalog/plan"
	"github.com/slocatalog/slocatalog/spec"
)

// TestRoundTrip exports every environment of the default catalog, imports
// the export and compares the SLOs of both plans: objectives, windows,
// SLIs, burn-rate tiers and what the annotations carry.
func TestRoundTrip(t *testing.T) {
	orig, _, err := pipeline.Load("../../catalog")
	if err != nil {
		t.Fatal(err)
	}
	for _, env := range orig.Plan.Environments {
		t.Run(env.Name, func(t *testing.T) {
			docs, err := exporter.Export(env)
			if err != nil {
				t.Fatal(err)
			}
			exported, err := openslo.WriteDocuments(docs, nil)
			if err != nil {
				t.Fatal(err)
			}
			objs, probs := openslo.Read("export.yaml", exported)
			if len(probs) > 0 {
				t.Fatalf("reading the export:\n%v", probs)
			}
			res, probs := importer.Import(objs, importer.Options{Org: orig.Plan.Org, Envs: []importer.Env{{Name: env.Name, Account: env.Account, Region: env.Region}}})
			if len(probs) > 0 {
				t.Fatalf("importing the export:\n%v", probs)
			}
			if len(res.Warnings) > 0 {
				t.Errorf("warnings importing the export:\n%v", res.Warnings)
			}
			b, err := catalogyaml.Write(res.File, res.Comments, nil)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "imported.yaml")
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			back, _, err := pipeline.Load(path)
			if err != nil {
				t.Fatalf("the import does not load: %v\n%s", err, b)
			}
			want := sloPlans(env)
			got := sloPlans(back.Plan.Environments[0])
			if len(want) == 0 {
				t.Fatal("the catalog has no SLO")
			}
			t.Logf("%d SLOs round-trip", len(want))
			if len(got) != len(want) {
				t.Fatalf("%d SLOs after the round trip, want %d", len(got), len(want))
			}
			for key, w := range want {
				g, ok := got[key]
				if !ok {
					t.Errorf("SLO %s is lost", key)
					continue
				}
				if !reflect.DeepEqual(g, w) {
					t.Errorf("SLO %s:\n got %+v\nwant %+v", key, g, w)
				}
			}
		})
	}
}

// comparableSLO is what the round trip keeps of an SLO.
type comparableSLO struct {
	Goal, Kind               string
	Objective, Warning, Load float64
	Window                   spec.Window
	MinRequests              int
	Latency                  *plan.Latency
	Ratio                    *plan.Ratio
	Tiers                    []plan.Tier
	AppSignals               plan.AppSignals
	Page, Ticket             []string
	Owner, Runbook           string
	Tier                     int
	Exclusions               []plan.Exclusion
}

func sloPlans(env *plan.Environment) map[string]comparableSLO {
	out := map[string]comparableSLO{}
	for _, s := range env.Services {
		for _, x := range s.SLOs {
			c := comparableSLO{Goal: x.Goal, Kind: x.Kind, Objective: x.Objective, Warning: x.WarningThreshold, Load: x.LoadRPS,
				Window: x.Window, MinRequests: x.MinRequests, Latency: x.Latency, Ratio: x.Ratio, Page: s.Page, Ticket: s.Ticket,
				Owner: s.Owner, Runbook: s.Runbook, Tier: s.Tier, Exclusions: x.Exclusions}
			for _, t := range x.Tiers {
				t.Factor = openslo.Round(t.Factor)
				t.BudgetPercent = openslo.Round(t.BudgetPercent)
				c.Tiers = append(c.Tiers, t)
			}
			if s.AppSignals != nil && (x.Latency != nil && x.Latency.Operation != "" || x.Ratio != nil && x.Ratio.Operation != "") {
				c.AppSignals = *s.AppSignals
			}
			out[s.Name+"/"+x.ID] = c
		}
	}
	return out
}
