package evolve

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// openSchemas opens the cfn-lint schemas, or skips: the check reads them at
// run time and the repository holds no copy.
func openSchemas(t *testing.T) *Schemas {
	t.Helper()
	s, err := OpenSchemas()
	if err != nil {
		t.Skipf("no resource provider schemas: %v", err)
	}
	return s
}

// check runs Check on testdata/<name>/old -> new.
func check(t *testing.T, name string) *Report {
	t.Helper()
	old, err := Load(filepath.Join("testdata", name, "old"))
	if err != nil {
		t.Fatal(err)
	}
	next, err := Load(filepath.Join("testdata", name, "new"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Check(old, next, openSchemas(t))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	rep.Write(&b, "old")
	t.Logf("%s:\n%s", name, b.String())
	return rep
}

// want checks that the report holds exactly these hazards, each given as
// kind, stack, logical id and a piece of its reason.
func want(t *testing.T, rep *Report, hazards ...[4]string) {
	t.Helper()
	if len(rep.Hazards) != len(hazards) {
		t.Errorf("%d hazards, want %d: %v", len(rep.Hazards), len(hazards), rep.Hazards)
	}
	for _, w := range hazards {
		found := false
		for _, h := range rep.Hazards {
			if string(h.Kind) == w[0] && h.Stack == w[1] && h.LogicalID == w[2] && strings.Contains(h.Reason, w[3]) {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s hazard on %s %s with %q in %v", w[0], w[1], w[2], w[3], rep.Hazards)
		}
	}
}

func TestExportRemovedWhileImported(t *testing.T) {
	rep := check(t, "export-removed")
	want(t, rep, [4]string{"export", "org-env-routing", "Exportopsgenie", "stack org-env-billing deploys after org-env-routing, and its deployed template imports it (rule)"})
	if !rep.Failed(true) {
		t.Error("an export hazard must fail the check")
	}
	if got := strings.Join(rep.Order, " "); got != "org-env-routing org-env-billing" {
		t.Errorf("deploy order %s", got)
	}
}

func TestCleanChange(t *testing.T) {
	rep := check(t, "clean")
	want(t, rep)
	if rep.Failed(false) {
		t.Error("a clean change failed")
	}
}

func TestNameMovesToAPartThatDeploysFirst(t *testing.T) {
	rep := check(t, "name-to-part")
	want(t, rep, [4]string{"name", "org-env-svc-part2", "a", "AlarmName org-env-svc-a: it moves here from org-env-svc (a), but org-env-svc-part2 deploys first"})
	if got := strings.Join(rep.Order, " "); got != "org-env-svc-part2 org-env-svc" {
		t.Errorf("deploy order %s", got)
	}
}

func TestNameMovesIntoTheStackThatDeploysLast(t *testing.T) {
	// The part deletes the alarm in its update's cleanup before the first
	// stack, which depends on it, creates it.
	want(t, check(t, "name-from-part"))
}

func TestNameMoves(t *testing.T) {
	rep := check(t, "name-moves")
	want(t, rep,
		[4]string{"name", "org-env-two", "x", "may deploy at the same time"},
		[4]string{"name", "org-env-two", "detector", "MetricName Requests"},
		[4]string{"name", "org-env-one", "renamed", "logical ID keep held it before"},
	)
}

func TestCreateOnlyChanges(t *testing.T) {
	rep := check(t, "create-only")
	// The app monitor keeps its name through a Platform change, and so does
	// the queue through FifoQueue; the renamed queue, the unnamed
	// subscription and the anomaly detector are replaced without a clash.
	want(t, rep,
		[4]string{"replace", "org-env-web", "monitor", "create-only Platform changed"},
		[4]string{"replace", "org-env-web", "queue", "create-only FifoQueue changed"},
	)
}

func TestRemovedStacks(t *testing.T) {
	rep := check(t, "removed")
	want(t, rep,
		[4]string{"removed", "org-env-b", "", "delete it before cdk deploy"},
		[4]string{"removed", "org-old-a", "", "before cdk deploy"},
		[4]string{"removed", "org-old-routing", "", "before cdk deploy"},
	)
	var order []string
	for _, r := range rep.Removals {
		order = append(order, r.Stack)
	}
	if got := strings.Join(order, " "); got != "org-old-a org-old-routing org-env-b" {
		t.Errorf("removal order %s; want dependents first", got)
	}
	cmds := strings.Join(rep.Commands("cdk.out.old"), "\n")
	for _, w := range []string{
		"npx cdk destroy --app cdk.out.old --force org-old-a org-old-routing org-env-b",
		"aws cloudformation delete-stack --stack-name org-old-a --region eu-west-1\naws cloudformation wait stack-delete-complete --stack-name org-old-a --region eu-west-1\naws cloudformation delete-stack --stack-name org-old-routing",
	} {
		if !strings.Contains(cmds, w) {
			t.Errorf("commands lack %q:\n%s", w, cmds)
		}
	}
	if rep.Failed(true) {
		t.Error("with removals allowed, removals alone must not fail")
	}
	if !rep.Failed(false) {
		t.Error("removals must fail unless allowed")
	}
}

func TestRemovedStackStillImports(t *testing.T) {
	rep := check(t, "removed-importer")
	want(t, rep,
		[4]string{"export", "org-env-routing", "Exportopsgenie", "stack org-env-b, which left the app and stays deployed until it is deleted, imports it (rule): delete org-env-b first"},
		[4]string{"removed", "org-env-b", "", "before cdk deploy"},
	)
}

func TestNameProperties(t *testing.T) {
	s := openSchemas(t)
	for typ, w := range map[string]string{
		"AWS::CloudWatch::Alarm":                         "AlarmName",
		"AWS::CloudWatch::CompositeAlarm":                "AlarmName",
		"AWS::ApplicationSignals::ServiceLevelObjective": "Name",
		"AWS::Synthetics::Canary":                        "Name",
		"AWS::RUM::AppMonitor":                           "Name",
		"AWS::Events::ApiDestination":                    "Name",
		"AWS::Events::Rule":                              "Name",
		"AWS::SNS::Topic":                                "TopicName",
		"AWS::SQS::Queue":                                "QueueName",
		"AWS::IAM::Role":                                 "RoleName",
		"AWS::S3::Bucket":                                "BucketName",
		"AWS::XRay::Group":                               "GroupName",
		"AWS::CloudWatch::AnomalyDetector":               "",
		"AWS::SNS::Subscription":                         "",
		"AWS::KMS::Key":                                  "",
	} {
		sc, err := s.Type(typ, "eu-west-1")
		if err != nil || sc == nil {
			t.Fatalf("%s: %v %v", typ, sc, err)
		}
		if got := strings.Join(sc.NameProperties(), ","); got != w {
			t.Errorf("%s: name properties %q, want %q", typ, got, w)
		}
	}
}

func TestParameters(t *testing.T) {
	rep := check(t, "parameter")
	want(t, rep,
		[4]string{"parameter", "org-env-a", "rule", "stack org-env-routing created it and no longer does"},
		[4]string{"parameter", "org-env-b", "rule", "this stack's template is unchanged, so cdk deploy skips it"},
		[4]string{"parameter", "org-env-c", "rule", "stack org-env-routing creates it but does not deploy first"},
	)
}

func TestTypedParameters(t *testing.T) {
	want(t, check(t, "parameter-typed"),
		[4]string{"parameter", "org-env-a", "Parameters.SsmParam", "stack org-env-routing created it and no longer does"})
}

func TestRetained(t *testing.T) {
	want(t, check(t, "retained"),
		// two deploys after one, which would delete the alarm first, but one retains it
		[4]string{"name", "org-env-two", "kept", "held it with DeletionPolicy Retain"},
		[4]string{"removed", "org-old-routing", "", "keeps dlq (QueueName org-old-dlq) (DeletionPolicy Retain)"},
	)
}

// TestCompositeDeletedWhileReferenced: the upgrade of a split service from
// tier composites to tier alarms. Part 1 deletes its tier composite in its
// cleanup while the roll-up of part 2, which deploys after it, still names
// it: CloudWatch refuses the delete and the composite is left behind. Part
// 2's own tier composite goes after its roll-up changes, in one stack, and
// is no hazard.
func TestCompositeDeletedWhileReferenced(t *testing.T) {
	rep := check(t, "composite-part")
	want(t, rep, [4]string{"composite", "org-env-svc", "xpage1h5m", "stack org-env-svc-part2 deploys after org-env-svc, and until then its composite rolluppage names it in its rule; CloudWatch does not delete a composite alarm another composite depends on"})
	if h := rep.Of(KindComposite); len(h) == 1 && !strings.Contains(h[0].Reason, "aws cloudwatch delete-alarms --region eu-west-1 --alarm-names org-env-svc-x-page-1h-5m org-env-svc-x-page-1h-5m-long org-env-svc-x-page-1h-5m-short") {
		t.Errorf("no command to delete the orphan: %s", h[0].Reason)
	}
	if !rep.Failed(false) || rep.Failed(true) {
		t.Error("an orphaned composite fails the check unless --allow-removals")
	}
}
