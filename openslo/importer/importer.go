// Package importer maps OpenSLO v1 objects (read by package openslo) to one
// catalog file (spec.File) and the comments that say where each value came
// from and what the user must fill in; catalogyaml writes the two as YAML.
// Import reports every problem at once: an OpenSLO feature the catalog
// cannot express is a problem, one it approximates is a warning. Metric
// sources of types other than CloudWatch map through a Map (--map FILE).
package importer

import (
	"fmt"
	"maps"
	"slices"

	"github.com/slocatalog/slocatalog/openslo"
	"github.com/slocatalog/slocatalog/openslo/catalogyaml"
	"github.com/slocatalog/slocatalog/spec"
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
	File     *spec.File
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
	file         *spec.File
	services     map[string]*spec.Service
	routes       map[string]*spec.Route
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
		file: &spec.File{}, services: map[string]*spec.Service{}, routes: map[string]*spec.Route{},
		regions: map[string]bool{}, usedPolicies: map[string]bool{},
	}
	for _, object := range objs {
		byName := im.byKind[object.Kind]
		if byName == nil {
			byName = map[string]*openslo.Object{}
			im.byKind[object.Kind] = byName
		}
		if prev := byName[object.Metadata.Name]; prev != nil {
			im.problem(object, "metadata.name", "a %s named %s is also in %s (document %d)", object.Kind, object.Metadata.Name, prev.Source.File, prev.Source.Document)
			continue
		}
		byName[object.Metadata.Name] = object
	}
	sloCount := 0
	for _, object := range objs {
		if object.SLO != nil {
			sloCount++
			im.slo(object)
		}
	}
	for _, object := range objs {
		if object.Policy != nil && !im.usedPolicies[object.Metadata.Name] {
			// Check it anyway, so that its broken references are reported.
			// It is left out, so what is wrong with it is a warning.
			before := len(im.probs)
			im.checkingUnused = true
			im.policy(object.Source, label(object), "", label(object), object.Policy, nil)
			im.checkingUnused = false
			im.warn(object, "", "no SLO refers to this alert policy; it is left out")
			im.warnings = append(im.warnings, im.probs[before:]...)
			im.probs = im.probs[:before]
		}
	}
	if sloCount == 0 && len(objs) > 0 {
		im.probs = append(im.probs, openslo.Problem{Source: openslo.Source{File: objs[0].Source.File}, Message: "the input has no SLO: there is nothing to put in a catalog"})
	} else if len(objs) == 0 {
		im.probs = append(im.probs, openslo.Problem{Message: "the input has no OpenSLO object"})
	}
	if im.opt.Map != nil {
		for _, entry := range im.opt.Map.Queries {
			if !entry.used {
				im.warnings = append(im.warnings, openslo.Problem{Source: openslo.Source{File: im.opt.Map.File, Line: entry.line}, Message: "this --map entry matches no metric source"})
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

func label(object *openslo.Object) string { return object.Kind + " " + object.Metadata.Name }

func (im *importer) problem(object *openslo.Object, field, format string, args ...any) {
	im.probs = append(im.probs, openslo.Problem{Source: object.Source, Object: label(object), Field: field, Message: fmt.Sprintf(format, args...)})
}

func (im *importer) warn(object *openslo.Object, field, format string, args ...any) {
	im.warnings = append(im.warnings, openslo.Problem{Source: object.Source, Object: label(object), Field: field, Message: fmt.Sprintf(format, args...)})
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
	im.file.Org = &spec.Org{Name: im.orgName()}
	if im.opt.Org == "" {
		im.notes.AddLine(im.file.Org, "name", "%s: your organisation's short name (--org NAME)", FillIn)
	}
	envs := im.opt.Envs
	if len(envs) == 0 {
		region := "us-east-1"
		regions := slices.Sorted(maps.Keys(im.regions))
		if len(regions) > 0 {
			region = regions[0]
		}
		env := &spec.Environment{Name: "prod", Account: "000000000000", Region: region}
		im.file.Environments = append(im.file.Environments, env)
		im.notes.AddLine(env, "account", "%s: the AWS account (--env NAME=ACCOUNT/REGION)", FillIn)
		if len(regions) == 1 {
			im.notes.AddLine(env, "region", "from the metric sources' region")
		} else {
			im.notes.AddLine(env, "region", "%s: the AWS region", FillIn)
		}
	}
	for _, env := range envs {
		im.file.Environments = append(im.file.Environments, &spec.Environment{Name: env.Name, Account: env.Account, Region: env.Region})
	}
	for _, env := range im.file.Environments {
		for region := range im.regions {
			if region != env.Region {
				im.notes.AddLine(env, "region", "a metric source names region %s; the catalog reads metrics in the environment's region", region)
			}
		}
	}
	for _, svc := range im.file.Services {
		needPage, needTicket := false, false
		for _, catalogSLO := range svc.SLOs {
			if catalogSLO.Alerting == nil { // the default tiers page and ticket
				needPage, needTicket = true, true
				continue
			}
			for _, tier := range catalogSLO.Alerting.Tiers {
				needPage = needPage || tier.Severity == "page"
				needTicket = needTicket || tier.Severity == "ticket"
			}
		}
		if needPage && len(svc.Oncall.Page) == 0 {
			svc.Oncall.Page = []string{im.placeholderRoute().ID}
			im.notes.AddLine(svc, "oncall", "%s: no alert policy names a notification target for pages", FillIn)
		}
		if needTicket && len(svc.Oncall.Ticket) == 0 {
			svc.Oncall.Ticket = []string{im.placeholderRoute().ID}
			im.notes.AddLine(svc, "oncall", "%s: no alert policy names a notification target for tickets", FillIn)
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
