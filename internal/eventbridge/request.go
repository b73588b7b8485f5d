package eventbridge

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Authorization types of an EventBridge connection.
const (
	AuthAPIKey = "API_KEY"
	AuthBasic  = "BASIC"
	AuthOAuth  = "OAUTH_CLIENT_CREDENTIALS"
)

// Parameter is one key and value of a connection's invocation parameters.
type Parameter struct {
	Key, Value string
}

// Connection is what an EventBridge connection adds to every request of
// its API destinations: an authorization header and its invocation HTTP
// parameters.
type Connection struct {
	AuthorizationType  string
	APIKeyName         string // API_KEY: the header's name
	APIKeyValue        string // API_KEY: the header's value
	Username, Password string // BASIC
	OAuthToken         string // OAUTH_CLIENT_CREDENTIALS: the token EventBridge would have obtained
	Headers            []Parameter
	QueryString        []Parameter
	Body               []Parameter
}

// Destination is an API destination and its connection.
type Destination struct {
	Endpoint   string // InvocationEndpoint; * are path wildcards
	Method     string
	Connection *Connection
}

// HTTPParameters are a rule target's HttpParameters.
type HTTPParameters struct {
	PathParameterValues []string // literal values, or JSON paths ($...) on the original event
	Headers             map[string]string
	QueryString         map[string]string
}

// Request headers EventBridge sends to every API destination
// (eb-api-destinations, "Headers included in requests to API destinations").
const (
	ContentType = "application/json; charset=utf-8"
	UserAgent   = "Amazon/EventBridge/ApiDestinations"
)

// NewRequest builds the HTTP request EventBridge sends to an API
// destination for one event (its original JSON text) whose transformed
// input is body.
//
//   - Each * of the endpoint takes the next PathParameterValues entry; an
//     entry starting with $ is a JSON path on the original event ("dynamic
//     path parameters must reference the original event"). Inferred: the
//     value is escaped as a URL path segment.
//   - Query string and headers: the target's, then the connection's, which
//     win ("any values from the Connection taking precedence"), then the
//     authorization header.
//   - Body parameters of the connection are merged into the body as
//     top-level keys, the connection's winning (inferred: AWS says only that
//     a connection can "include ... body ... parameters"); the body must then
//     be a JSON object.
func NewRequest(d *Destination, hp *HTTPParameters, event, body []byte) (*http.Request, error) {
	if hp == nil {
		hp = &HTTPParameters{}
	}
	conn := d.Connection
	if conn == nil {
		conn = &Connection{}
	}
	endpoint, err := FillPath(d.Endpoint, hp.PathParameterValues, event)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil, fmt.Errorf("eventbridge: endpoint %q: %w", endpoint, err)
	}
	q := u.Query()
	for _, k := range sortedKeys(hp.QueryString) {
		q.Set(k, hp.QueryString[k])
	}
	for _, p := range conn.QueryString {
		q.Set(p.Key, p.Value)
	}
	u.RawQuery = q.Encode()

	if len(conn.Body) > 0 {
		if body, err = mergeBody(body, conn.Body); err != nil {
			return nil, err
		}
	}
	method := d.Method
	if method == "" {
		method = http.MethodPost
	}
	req, err := http.NewRequest(method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", ContentType)
	req.Header.Set("User-Agent", UserAgent)
	for _, k := range sortedKeys(hp.Headers) {
		req.Header.Set(k, hp.Headers[k])
	}
	for _, p := range conn.Headers {
		req.Header.Set(p.Key, p.Value)
	}
	switch conn.AuthorizationType {
	case AuthAPIKey:
		req.Header.Set(conn.APIKeyName, conn.APIKeyValue)
	case AuthBasic:
		req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(conn.Username+":"+conn.Password)))
	case AuthOAuth:
		req.Header.Set("Authorization", "Bearer "+conn.OAuthToken)
	case "":
	default:
		return nil, fmt.Errorf("eventbridge: unknown authorization type %q", conn.AuthorizationType)
	}
	return req, nil
}

// FillPath replaces the * wildcards of an endpoint, in order, with the path
// parameter values; a value starting with $ is looked up in the event.
func FillPath(endpoint string, values []string, event []byte) (string, error) {
	n := strings.Count(endpoint, "*")
	if n != len(values) {
		return "", fmt.Errorf("eventbridge: endpoint %q has %d path wildcards but the target gives %d path parameter values", endpoint, n, len(values))
	}
	if n == 0 {
		return endpoint, nil
	}
	var ev any
	var out strings.Builder
	rest := endpoint
	for _, v := range values {
		if strings.HasPrefix(v, "$") {
			if ev == nil {
				var err error
				if ev, err = DecodeJSON(event); err != nil {
					return "", fmt.Errorf("eventbridge: event: %w", err)
				}
			}
			p, err := ParsePath(v)
			if err != nil {
				return "", err
			}
			got, ok := p.Lookup(ev)
			if !ok {
				return "", fmt.Errorf("eventbridge: path parameter %s is not in the event", v)
			}
			s, err := render(got, false)
			if err != nil {
				return "", err
			}
			v = s
		}
		i := strings.IndexByte(rest, '*')
		out.WriteString(rest[:i])
		out.WriteString(url.PathEscape(v))
		rest = rest[i+1:]
	}
	out.WriteString(rest)
	return out.String(), nil
}

func mergeBody(body []byte, params []Parameter) ([]byte, error) {
	v, err := DecodeJSON(body)
	if err != nil {
		return nil, fmt.Errorf("eventbridge: the connection has body parameters but the body is not JSON: %w", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("eventbridge: the connection has body parameters but the body is not a JSON object")
	}
	for _, p := range params {
		m[p.Key] = p.Value
	}
	return Marshal(m) // encoding/json writes keys sorted
}
