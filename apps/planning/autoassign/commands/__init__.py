"""The auto-assign management commands (run a job, solve a file, benchmark the engine).

Django finds commands only in ``apps/planning/management/commands``; the modules there
import ``Command`` from here.
"""
