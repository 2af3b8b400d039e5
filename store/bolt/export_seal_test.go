package bolt

import "time"

// SetSealerTimes sets the background sealer's delays (tests) and returns a function that puts
// them back.
func SetSealerTimes(start, debounce, sweep, pause time.Duration) func() {
	a, b, c, d := sealerStartDelay, sealerDebounce, sealerSweepEvery, sealerPause
	sealerStartDelay, sealerDebounce, sealerSweepEvery, sealerPause = start, debounce, sweep, pause
	return func() { sealerStartDelay, sealerDebounce, sealerSweepEvery, sealerPause = a, b, c, d }
}
