"""The training and usability lab (issue 12): courses, sandboxes, exercises, conditions, measurement."""
