// Package importer maps OpenSLO v1 objects (read by package openslo) to one
// catalog file (slos.File) and the comments that say where each value came
// from and what the user must fill in; catalogyaml writes the two as YAML.
// Import reports every problem at once: an OpenSLO feature the catalog
// cannot express is a problem, one it approximates is a warning. Metric
// sources of types other than CloudWatch map through a Map (--map FILE).
package importer

import (
	"fmt"
	"sort"

	"github.com/slocatalog/slocatalog/openslo"
	"github.com/slocatalog/slocatalog/openslo/catalogyaml"
	"github.com/slocatalog/slocatalog/slos"
)

// FillIn marks, in a comment, a value the user must replace.
const FillIn = "FILL IN"

// Env is an environment of the imported catalog.
type Env struct{ Name, Account, Region string }

// Options configure Import.
type Options struct {
	Org  string // org name; default "openslo"
	Envs []Env  // environments; default one placeholder, flagged
	Map  *Map   // CloudWatch metrics for foreign metric sources
}

// Result is an imported catalog: the file and the comments that say where
// each value came from and what the user must fill in.
type Result struct {
	File     *slos.File
	Comments catalogyaml.Comments
	Warnings openslo.Problems // what was dropped or approximated; also in the comments
}

// importer holds the state of one Import.
type importer struct {
	opt          Options
	byKind       map[string]map[string]*openslo.Object
	probs        openslo.Problems
	warnings     openslo.Problems
	notes        catalogyaml.Comments
	file         *slos.File
	services     map[string]*slos.Service
	routes       map[string]*slos.Route
	regions      map[string]bool
	usedPolicies map[string]bool
	// checkingUnused is set while an alert policy no SLO uses is checked.
	checkingUnused bool
}

// Import maps OpenSLO objects to one catalog file. It returns every problem
// at once; with problems the result holds only the warnings.
func Import(objs []*openslo.Object, opt Options) (*Result, openslo.Problems) {
	im := &importer{
		opt: opt, byKind: map[string]map[string]*openslo.Object{}, notes: catalogyaml.Comments{},
		file: &slos.File{}, services: map[string]*slos.Service{}, routes: map[string]*slos.Route{},
		regions: map[string]bool{}, usedPolicies: map[string]bool{},
	}
	for _, o := range objs {
		m := im.byKind[o.Kind]
		if m == nil {
			m = map[string]*openslo.Object{}
			im.byKind[o.Kind] = m
		}
		if prev := m[o.Metadata.Name]; prev != nil {
			im.problem(o, "metadata.name", "a %s named %s is also in %s (document %d)", o.Kind, o.Metadata.Name, prev.Source.File, prev.Source.Document)
			continue
		}
		m[o.Metadata.Name] = o
	}
	nSLO := 0
	for _, o := range objs {
		if o.SLO != nil {
			nSLO++
			im.slo(o)
		}
	}
	for _, o := range objs {
		if o.Policy != nil && !im.usedPolicies[o.Metadata.Name] {
			// Check it anyway, so that its broken references are reported.
			// It is left out, so what is wrong with it is a warning.
			n := len(im.probs)
			im.checkingUnused = true
			im.policy(o.Source, label(o), "", label(o), o.Policy, nil)
			im.checkingUnused = false
			im.warn(o, "", "no SLO refers to this alert policy; it is left out")
			im.warnings = append(im.warnings, im.probs[n:]...)
			im.probs = im.probs[:n]
		}
	}
	if nSLO == 0 && len(objs) > 0 {
		im.probs = append(im.probs, openslo.Problem{Source: openslo.Source{File: objs[0].Source.File}, Message: "the input has no SLO: there is nothing to put in a catalog"})
	} else if len(objs) == 0 {
		im.probs = append(im.probs, openslo.Problem{Message: "the input has no OpenSLO object"})
	}
	if im.opt.Map != nil {
		for _, e := range im.opt.Map.Queries {
			if !e.used {
				im.warnings = append(im.warnings, openslo.Problem{Source: openslo.Source{File: im.opt.Map.File, Line: e.line}, Message: "this --map entry matches no metric source"})
			}
		}
	}
	im.probs, im.warnings = dedupe(im.probs), dedupe(im.warnings)
	if len(im.probs) > 0 {
		return &Result{Warnings: im.warnings}, im.probs
	}
	im.finish()
	return &Result{File: im.file, Comments: im.notes, Warnings: im.warnings}, nil
}

func label(o *openslo.Object) string { return o.Kind + " " + o.Metadata.Name }

func (im *importer) problem(o *openslo.Object, field, format string, args ...any) {
	im.probs = append(im.probs, openslo.Problem{Source: o.Source, Object: label(o), Field: field, Message: fmt.Sprintf(format, args...)})
}

func (im *importer) warn(o *openslo.Object, field, format string, args ...any) {
	im.warnings = append(im.warnings, openslo.Problem{Source: o.Source, Object: label(o), Field: field, Message: fmt.Sprintf(format, args...)})
}

func where(s openslo.Source) string {
	return fmt.Sprintf("%s, document %d", s.File, s.Document)
}

// orgName is the org of the imported catalog.
func (im *importer) orgName() string {
	if im.opt.Org != "" {
		return im.opt.Org
	}
	return "openslo"
}

// finish adds the org and environments.
func (im *importer) finish() {
	im.file.Org = &slos.Org{Name: im.orgName()}
	if im.opt.Org == "" {
		im.notes.AddLine(im.file.Org, "name", "%s: your organisation's short name (--org NAME)", FillIn)
	}
	envs := im.opt.Envs
	if len(envs) == 0 {
		region := "us-east-1"
		var rs []string
		for r := range im.regions {
			rs = append(rs, r)
		}
		sort.Strings(rs)
		if len(rs) > 0 {
			region = rs[0]
		}
		e := &slos.Environment{Name: "prod", Account: "000000000000", Region: region}
		im.file.Environments = append(im.file.Environments, e)
		im.notes.AddLine(e, "account", "%s: the AWS account (--env NAME=ACCOUNT/REGION)", FillIn)
		if len(rs) == 1 {
			im.notes.AddLine(e, "region", "from the metric sources' region")
		} else {
			im.notes.AddLine(e, "region", "%s: the AWS region", FillIn)
		}
	}
	for _, e := range envs {
		im.file.Environments = append(im.file.Environments, &slos.Environment{Name: e.Name, Account: e.Account, Region: e.Region})
	}
	for _, e := range im.file.Environments {
		for r := range im.regions {
			if r != e.Region {
				im.notes.AddLine(e, "region", "a metric source names region %s; the catalog reads metrics in the environment's region", r)
			}
		}
	}
	for _, s := range im.file.Services {
		needPage, needTicket := false, false
		for _, x := range s.SLOs {
			if x.Alerting == nil { // the default tiers page and ticket
				needPage, needTicket = true, true
				continue
			}
			for _, t := range x.Alerting.Tiers {
				needPage = needPage || t.Severity == "page"
				needTicket = needTicket || t.Severity == "ticket"
			}
		}
		if needPage && len(s.Oncall.Page) == 0 {
			s.Oncall.Page = []string{im.placeholderRoute().ID}
			im.notes.AddLine(s, "oncall", "%s: no alert policy names a notification target for pages", FillIn)
		}
		if needTicket && len(s.Oncall.Ticket) == 0 {
			s.Oncall.Ticket = []string{im.placeholderRoute().ID}
			im.notes.AddLine(s, "oncall", "%s: no alert policy names a notification target for tickets", FillIn)
		}
	}
}

// dedupe drops repeated problems (an SLO with several objectives maps its
// SLI once per objective), keeping the first of each.
func dedupe(ps openslo.Problems) openslo.Problems {
	seen := map[string]bool{}
	var out openslo.Problems
	for _, p := range ps {
		if !seen[p.String()] {
			seen[p.String()] = true
			out = append(out, p)
		}
	}
	return out
}
