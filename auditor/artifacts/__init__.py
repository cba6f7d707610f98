"""Are the promised artifacts really there? Which links to probe, the prober, and what each host says."""
