// Command slocat validates an SLO catalog and turns it into AWS monitoring.
package main

import "github.com/slocatalog/slocatalog/internal/cli"

func main() { cli.Main() }
