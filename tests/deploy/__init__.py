"""Tests of the container image, the Helm chart and skaffold.yaml."""
