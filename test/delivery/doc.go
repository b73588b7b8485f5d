// Package delivery holds the offline delivery harness of slocatalog's
// alarm routing (issue 11). Its tests take every AWS::Events::Rule target of
// a synthesized cloud assembly, build the CloudWatch "Alarm State Change"
// event the rule matches (shaped like AWS's documented example, with a
// reason that holds double quotes and a backslash), transform it as
// EventBridge does (internal/eventbridge), add what the API destination and
// its connection add to the request, and hold the result to the contract of
// the receiver: PagerDuty Events API v2, Opsgenie's Alert API (create and
// close), Slack's chat.postMessage and the text of an SNS email. Each
// request is then sent over a real socket to a local HTTP server on
// 127.0.0.1 that checks what arrives the same way.
//
// The contracts and their sources are listed in contract_test.go.
package delivery
