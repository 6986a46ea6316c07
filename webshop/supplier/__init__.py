"""The supplier side: per-supplier connection and simulator settings, inbound order
responses and despatch advices (with quarantine), per-line status, goods receipt,
re-ordering of missing lines and supplier statistics."""
