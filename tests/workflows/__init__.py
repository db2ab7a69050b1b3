"""Tests of the GitHub Actions workflows, composite actions and the scripts they call."""
