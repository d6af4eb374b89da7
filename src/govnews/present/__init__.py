"""Tables → what a reader sees: views (shaped frames), charts, fonts and the HTML report."""
