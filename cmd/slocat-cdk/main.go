// Command slocat-cdk synthesizes the catalog's CDK app (slocat synth runs
// it); cdk.json runs it with --cdk. See internal/synthcli.
package main

import "github.com/slocatalog/slocatalog/internal/synthcli"

func main() { synthcli.Main() }
