"""Learning from use: answer ratings, unanswered questions, the usage report and the knowledge review."""
