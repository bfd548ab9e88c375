"""scrim's own evaluation corpus: fake values rendered through real applications.

Every value this package produces is a random fake in a real format (seeded, reproducible);
nothing here is a real person, key or host."""
