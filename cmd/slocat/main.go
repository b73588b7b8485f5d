// Command slocat validates an SLO catalog and turns it into AWS monitoring.
// See internal/cli for the commands.
package main

import "github.com/slocatalog/slocatalog/internal/cli"

func main() { cli.Main() }
