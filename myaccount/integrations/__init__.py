"""One module per back-office system My Account talks to."""
