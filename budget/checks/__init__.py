"""Rules on cells and across files: functions of frames and settings returning diagnostics."""
