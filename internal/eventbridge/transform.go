package eventbridge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Predefined variables that every input template may use without an
// InputPathsMap entry (the "Predefined variables" section of the input
// transformation page).
const (
	VarRuleARN       = "aws.events.rule-arn"
	VarRuleName      = "aws.events.rule-name"
	VarIngestionTime = "aws.events.event.ingestion-time"
	VarEvent         = "aws.events.event"      // the event without its detail; only as a bare JSON value
	VarEventJSON     = "aws.events.event.json" // the whole event; only as a bare JSON value
)

// Limits of an InputTransformer (API_InputTransformer).
const (
	MaxVariables        = 100
	MaxTemplateLength   = 8192
	maxVariableKeyBytes = 256
)

var (
	// placeholder is what EventBridge reads as <name>: the characters of an
	// InputPathsMap key ([A-Za-z0-9_-]) plus the dots of the predefined
	// names. Anything else between < and > (a Slack link <https://x|y>,
	// JSON's \u003c escapes) is ordinary text.
	placeholder = regexp.MustCompile(`<([A-Za-z0-9_.\-]+)>`)
	variableKey = regexp.MustCompile(`^[A-Za-z0-9_\-]+$`)
)

// Transformer is a rule target's InputTransformer.
type Transformer struct {
	InputPathsMap map[string]string
	InputTemplate string
}

// Context is what the predefined variables are filled from.
type Context struct {
	RuleARN, RuleName string
	IngestionTime     time.Time
}

// Kind tells how EventBridge reads an input template.
type Kind int

const (
	// StringTemplate is text: a JSON string literal ("For Strings, quotes
	// are required"), one per line for multi-line text, or bare text. It is
	// delivered as written, quotes included, with every placeholder
	// replaced by its value's raw text.
	StringTemplate Kind = iota
	// JSONTemplate is a JSON object or array. A placeholder in a value
	// position gets its value as JSON (EventBridge "automatically adds
	// quotes to string variable values"); one inside a string literal gets
	// the raw text ("EventBridge doesn't escape values extracted by Input
	// Path"), with the quotes of an object or array removed.
	JSONTemplate
)

// KindOf classifies a template by its first non-space character, as the
// EventBridge console and API examples do: { or [ is JSON, anything else text.
func KindOf(template string) Kind {
	t := strings.TrimLeft(template, " \t\r\n")
	if strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
		return JSONTemplate
	}
	return StringTemplate
}

// InvalidJSONError says a JSON template produced text that is not JSON for
// this event. What EventBridge then does is not documented; no receiver
// that expects JSON can read it.
type InvalidJSONError struct {
	Output []byte
	Err    error
}

// Error says what is wrong and shows the output.
func (e *InvalidJSONError) Error() string {
	return fmt.Sprintf("eventbridge: the transformed input is not valid JSON (%v): %s", e.Err, e.Output)
}

// ErrUndefinedVariable is wrapped by Check and Apply when a template names a
// variable that is neither in InputPathsMap nor predefined; PutTargets
// refuses such a target.
var ErrUndefinedVariable = errors.New("undefined variable")

// Check makes the checks EventBridge makes when the target is put: the
// number and names of variables, their paths, the template's length, that
// every placeholder is defined, that no placeholder is an object key, that
// the event-valued predefined variables stand only as JSON values, and that
// a JSON template is JSON once its placeholders are filled.
func (t *Transformer) Check() error {
	var errs []error
	if len(t.InputPathsMap) > MaxVariables {
		errs = append(errs, fmt.Errorf("eventbridge: %d variables, at most %d", len(t.InputPathsMap), MaxVariables))
	}
	for _, k := range sortedKeys(t.InputPathsMap) {
		// Keys match [A-Za-z0-9_-]+, so none can start with the reserved "AWS.".
		if !variableKey.MatchString(k) || len(k) > maxVariableKeyBytes {
			errs = append(errs, fmt.Errorf("eventbridge: variable name %q is not allowed", k))
		}
		if _, err := ParsePath(t.InputPathsMap[k]); err != nil {
			errs = append(errs, err)
		}
	}
	if n := len(t.InputTemplate); n == 0 || n > MaxTemplateLength {
		errs = append(errs, fmt.Errorf("eventbridge: template of %d characters; 1 to %d allowed", n, MaxTemplateLength))
	}
	kind := KindOf(t.InputTemplate)
	var filled strings.Builder
	err := scan(t.InputTemplate, kind, func(name string, inString bool, after string) (string, error) {
		if _, ok := t.InputPathsMap[name]; !ok && !isPredefined(name) {
			return "", fmt.Errorf("eventbridge: template uses <%s>: %w", name, ErrUndefinedVariable)
		}
		if kind == JSONTemplate && !inString {
			if strings.HasPrefix(strings.TrimLeft(after, " \t\r\n"), ":") {
				return "", fmt.Errorf("eventbridge: <%s> is used as an object key", name)
			}
			return `"x"`, nil
		}
		if name == VarEvent || name == VarEventJSON {
			return "", fmt.Errorf("eventbridge: <%s> can only be a JSON field's value, not part of a string", name)
		}
		return "x", nil
	}, &filled)
	if err != nil {
		errs = append(errs, err)
	} else if kind == JSONTemplate && !json.Valid([]byte(filled.String())) {
		errs = append(errs, fmt.Errorf("eventbridge: the JSON template is not JSON even with its placeholders filled: %s", t.InputTemplate))
	}
	return errors.Join(errs...)
}

// Apply transforms an event (its JSON text) as EventBridge does before
// delivery and returns the target's input. A JSON template's output is
// minified ("The JSON that is passed to the target is minified"); when it
// is not JSON the error is an *InvalidJSONError holding the output.
func (t *Transformer) Apply(event []byte, c Context) ([]byte, error) {
	ev, err := DecodeJSON(event)
	if err != nil {
		return nil, fmt.Errorf("eventbridge: event: %w", err)
	}
	obj, ok := ev.(map[string]any)
	if !ok {
		return nil, errors.New("eventbridge: event is not a JSON object")
	}
	vars := map[string]any{}
	for name, src := range t.InputPathsMap {
		p, err := ParsePath(src)
		if err != nil {
			return nil, err
		}
		// "If you specify a variable to match a JSON path that doesn't
		// exist in the event, that variable isn't created and won't
		// appear in the output": it is left out of vars and renders as
		// nothing.
		if v, ok := p.Lookup(obj); ok {
			vars[name] = v
		}
	}
	noDetail := map[string]any{}
	for k, v := range obj {
		if k != "detail" {
			noDetail[k] = v
		}
	}
	predefined := map[string]any{
		VarRuleARN:       c.RuleARN,
		VarRuleName:      c.RuleName,
		VarIngestionTime: c.IngestionTime.UTC().Format(time.RFC3339),
		VarEvent:         noDetail,
		VarEventJSON:     obj,
	}
	kind := KindOf(t.InputTemplate)
	var out strings.Builder
	err = scan(t.InputTemplate, kind, func(name string, inString bool, _ string) (string, error) {
		_, defined := t.InputPathsMap[name]
		val, found := vars[name]
		if !defined {
			pv, ok := predefined[name]
			if !ok {
				return "", fmt.Errorf("eventbridge: template uses <%s>: %w", name, ErrUndefinedVariable)
			}
			val, found = pv, true
		}
		if !found {
			return "", nil
		}
		return render(val, kind == JSONTemplate && !inString)
	}, &out)
	if err != nil {
		return nil, err
	}
	b := []byte(out.String())
	if kind == JSONTemplate {
		var buf bytes.Buffer
		if err := json.Compact(&buf, b); err != nil {
			return b, &InvalidJSONError{Output: b, Err: err}
		}
		return buf.Bytes(), nil
	}
	return b, nil
}

// scan copies template to out, replacing each <name> with fill's result.
// For a JSON template it tracks whether the placeholder stands inside a
// string literal; after is the template text that follows the placeholder.
func scan(template string, kind Kind, fill func(name string, inString bool, after string) (string, error), out *strings.Builder) error {
	inString := false
	for i := 0; i < len(template); {
		c := template[i]
		if c == '<' {
			if m := placeholder.FindStringSubmatchIndex(template[i:]); m != nil && m[0] == 0 {
				name := template[i+m[2] : i+m[3]]
				s, err := fill(name, inString, template[i+m[1]:])
				if err != nil {
					return err
				}
				out.WriteString(s)
				i += m[1]
				continue
			}
		}
		if kind == JSONTemplate {
			switch {
			case inString && c == '\\' && i+1 < len(template):
				out.WriteString(template[i : i+2])
				i += 2
				continue
			case c == '"':
				inString = !inString
			}
		}
		out.WriteByte(c)
		i++
	}
	return nil
}

// render gives a value's text for a placeholder: as JSON in a JSON value
// position (strings quoted; inferred: with their quotes and backslashes
// escaped, which is what "to ensure the transformation output is valid
// JSON" requires), and otherwise the raw text, an object or array losing
// its quotes ("EventBridge removes any internal quotes to ensure a valid
// string").
func render(v any, jsonValue bool) (string, error) {
	if s, ok := v.(string); ok && !jsonValue {
		return s, nil
	}
	b, err := Marshal(v)
	if err != nil {
		return "", err
	}
	if jsonValue {
		return string(b), nil
	}
	switch v.(type) {
	case map[string]any, []any:
		return strings.ReplaceAll(string(b), `"`, ""), nil
	}
	return string(b), nil // numbers, true, false, null
}

// DecodeJSON decodes JSON text keeping numbers as json.Number, so that a
// number is delivered as it was written.
func DecodeJSON(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, errors.New("trailing data after the JSON value")
	}
	return v, nil
}

// Marshal encodes a value as compact JSON without escaping <, > and &.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	e := json.NewEncoder(&buf)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

func isPredefined(name string) bool {
	switch name {
	case VarRuleARN, VarRuleName, VarIngestionTime, VarEvent, VarEventJSON:
		return true
	}
	return false
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
