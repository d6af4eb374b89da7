"""Every data file govnews reads (lexicons, gazetteers, codebook, cues, overrides), read once."""
