"""Published Amazon Personalize pipelines, each run as published under moto + mock_personalize.

Each module has a ``run() -> None`` holding the published code (notebook code cells
in order, or scripts and their orchestration), adapted only where it needs the
network, a SageMaker notebook instance or a deployed stack; every adaptation is
marked ``# ADAPTED: <why>``. The module docstrings cite the source, the commit
read and its licence. ``tests/test_published_pipelines.py`` runs them.

They need a region configured (``AWS_DEFAULT_REGION``), as a SageMaker notebook
or a Lambda function has; the tests set it.
"""
