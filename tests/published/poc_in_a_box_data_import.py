"""POC in a box, modules 1 and 2: import interactions, then item metadata.

Source: aws-samples/amazon-personalize-samples, commit
5a69fc41c0825ad0baa2fd3b6fb7dbff5182b9cd (last change to these files:
c90c3cf961784b6fc5351ab3aea37d20fef22115), notebooks

* next_steps/workshops/POC_in_a_box/completed/01_Validating_and_Importing_User_Item_Interaction_Data.ipynb
* next_steps/workshops/POC_in_a_box/completed/02_Validating_and_Importing_Item_Metadata.ipynb

Licence: MIT-0 (MIT No Attribution, the repository's LICENSE; no notice required).
Copyright 2018 Amazon.com, Inc. or its affiliates. All Rights Reserved.

The code cells in order, the second notebook continuing in the first one's scope
(it starts with ``%store -r``). Adapted: the MovieLens download and the pandas
preparation cells are replaced by small synthetic CSVs in the columns those cells
write (no network; pandas is not in the dev venv); the region comes from a constant
instead of the notebook instance's metadata file; display-only cells and IPython
magics are dropped. Every Personalize, S3, IAM and STS call and every polling loop
is as published.
"""

# ruff: noqa
# (published code, kept as written; its layout was normalised once by ``ruff format``,
# quotes and line breaks only, before tests/published was excluded from ruff)

import csv
import os
import tempfile


def _write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def run() -> None:
    workdir = tempfile.TemporaryDirectory()  # ADAPTED: the notebook writes under its cwd

    # ======== 01_Validating_and_Importing_User_Item_Interaction_Data ========

    # ---- [code 1]
    USE_FULL_MOVIELENS = False
    # ---- [code 3]
    data_dir = os.path.join(
        workdir.name, "poc_data"
    )  # ADAPTED: a temporary directory, not ./poc_data
    os.mkdir(data_dir)  # ADAPTED: was `!mkdir $data_dir`
    # ADAPTED: no network; `wget ml-latest-small.zip` + unzip replaced by a small synthetic
    # ratings.csv and movies.csv in the MovieLens layout.
    dataset_dir = data_dir + "/ml-latest-small/"
    os.mkdir(dataset_dir)
    _write_csv(
        dataset_dir + "/ratings.csv",
        ["userId", "movieId", "rating", "timestamp"],
        [(1 + i % 7, 1 + (i * 5) % 11, 1 + i % 5, 964982703 + 60 * i) for i in range(60)],
    )
    _write_csv(
        dataset_dir + "/movies.csv",
        ["movieId", "title", "genres"],
        [(m, f"Movie {m} ({1970 + m})", "Comedy|Drama") for m in range(1, 12)],
    )
    # ---- [code 5], [code 7]: `!ls`, `!pygmentize` (display only) -- ADAPTED: dropped
    # ---- [code 10]
    import time
    from time import sleep
    import json
    from datetime import datetime
    import boto3
    # ADAPTED: `import pandas as pd` dropped (pandas is not in the dev venv; see cells 12-34)

    # ---- [code 12] .. [code 34]
    # ADAPTED: the pandas preparation (ratings > 3 -> 'watch', ratings > 1 -> 'click',
    # concatenated, sorted by timestamp, renamed to USER_ID, ITEM_ID, TIMESTAMP, EVENT_TYPE)
    # is done with the csv module on the synthetic ratings; cells 13-30 only display data.
    with open(dataset_dir + "/ratings.csv") as f:
        ratings = list(csv.DictReader(f))
    clicked = [
        (r["userId"], r["movieId"], r["timestamp"], "click")
        for r in ratings
        if int(r["rating"]) > 1
    ]
    watched = [
        (r["userId"], r["movieId"], r["timestamp"], "watch")
        for r in ratings
        if int(r["rating"]) > 3
    ]
    interactions = sorted(clicked + watched, key=lambda row: int(row[2]))
    interactions_filename = "interactions.csv"
    _write_csv(
        data_dir + "/" + interactions_filename,
        ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE"],
        interactions,
    )

    # ---- [code 36]
    # Configure the SDK to Personalize:
    personalize = boto3.client("personalize")
    personalize_runtime = boto3.client("personalize-runtime")
    # ---- [code 38]
    create_dataset_group_response = personalize.create_dataset_group(
        name="personalize-poc-movielens"
    )

    dataset_group_arn = create_dataset_group_response["datasetGroupArn"]
    print(json.dumps(create_dataset_group_response, indent=2))
    # ---- [code 40]
    max_time = time.time() + 3 * 60 * 60  # 3 hours
    while time.time() < max_time:
        describe_dataset_group_response = personalize.describe_dataset_group(
            datasetGroupArn=dataset_group_arn
        )
        status = describe_dataset_group_response["datasetGroup"]["status"]
        print("DatasetGroup: {}".format(status))

        if status == "ACTIVE" or status == "CREATE FAILED":
            break

        time.sleep(60)
    # ---- [code 43]
    interactions_schema = schema = {
        "type": "record",
        "name": "Interactions",
        "namespace": "com.amazonaws.personalize.schema",
        "fields": [
            {"name": "USER_ID", "type": "string"},
            {"name": "ITEM_ID", "type": "string"},
            {"name": "EVENT_TYPE", "type": "string"},
            {"name": "TIMESTAMP", "type": "long"},
        ],
        "version": "1.0",
    }

    create_schema_response = personalize.create_schema(
        name="personalize-poc-movielens-interactions", schema=json.dumps(interactions_schema)
    )

    interaction_schema_arn = create_schema_response["schemaArn"]
    print(json.dumps(create_schema_response, indent=2))
    # ---- [code 45]
    dataset_type = "INTERACTIONS"
    create_dataset_response = personalize.create_dataset(
        name="personalize-poc-movielens-ints",
        datasetType=dataset_type,
        datasetGroupArn=dataset_group_arn,
        schemaArn=interaction_schema_arn,
    )

    interactions_dataset_arn = create_dataset_response["datasetArn"]
    print(json.dumps(create_dataset_response, indent=2))
    # ---- [code 47]
    # ADAPTED: the region was read from /opt/ml/metadata/resource-metadata.json (a SageMaker
    # notebook instance); a constant here.
    region = "us-east-1"
    print(region)
    # ---- [code 49]
    s3 = boto3.client("s3")
    account_id = boto3.client("sts").get_caller_identity().get("Account")
    bucket_name = account_id + "-" + region + "-" + "personalizepocvod"
    print(bucket_name)
    if region == "us-east-1":
        s3.create_bucket(Bucket=bucket_name)
    else:
        s3.create_bucket(
            Bucket=bucket_name, CreateBucketConfiguration={"LocationConstraint": region}
        )
    # ---- [code 51]
    interactions_file_path = data_dir + "/" + interactions_filename
    boto3.Session().resource("s3").Bucket(bucket_name).Object(interactions_filename).upload_file(
        interactions_file_path
    )
    interactions_s3DataPath = "s3://" + bucket_name + "/" + interactions_filename
    # ---- [code 53]
    policy = {
        "Version": "2012-10-17",
        "Id": "PersonalizeS3BucketAccessPolicy",
        "Statement": [
            {
                "Sid": "PersonalizeS3BucketAccessPolicy",
                "Effect": "Allow",
                "Principal": {"Service": "personalize.amazonaws.com"},
                "Action": ["s3:*Object", "s3:ListBucket"],
                "Resource": [
                    "arn:aws:s3:::{}".format(bucket_name),
                    "arn:aws:s3:::{}/*".format(bucket_name),
                ],
            }
        ],
    }

    s3.put_bucket_policy(Bucket=bucket_name, Policy=json.dumps(policy))
    # ---- [code 55]
    iam = boto3.client("iam")

    role_name = "PersonalizeRolePOC"
    assume_role_policy_document = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "personalize.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }

    create_role_response = iam.create_role(
        RoleName=role_name, AssumeRolePolicyDocument=json.dumps(assume_role_policy_document)
    )

    # AmazonPersonalizeFullAccess provides access to any S3 bucket with a name that includes "personalize" or "Personalize"
    # if you would like to use a bucket with a different name, please consider creating and attaching a new policy
    # that provides read access to your bucket or attaching the AmazonS3ReadOnlyAccess policy to the role
    policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonPersonalizeFullAccess"
    iam.attach_role_policy(RoleName=role_name, PolicyArn=policy_arn)

    # Now add S3 support
    iam.attach_role_policy(
        PolicyArn="arn:aws:iam::aws:policy/AmazonS3FullAccess", RoleName=role_name
    )
    time.sleep(60)  # wait for a minute to allow IAM role policy attachment to propagate

    role_arn = create_role_response["Role"]["Arn"]
    print(role_arn)
    # ---- [code 57]
    create_dataset_import_job_response = personalize.create_dataset_import_job(
        jobName="personalize-poc-import1",
        datasetArn=interactions_dataset_arn,
        dataSource={"dataLocation": "s3://{}/{}".format(bucket_name, interactions_filename)},
        roleArn=role_arn,
    )

    dataset_import_job_arn = create_dataset_import_job_response["datasetImportJobArn"]
    print(json.dumps(create_dataset_import_job_response, indent=2))
    # ---- [code 59]  (`%%time` dropped -- ADAPTED: IPython magic)
    max_time = time.time() + 6 * 60 * 60  # 6 hours
    while time.time() < max_time:
        describe_dataset_import_job_response = personalize.describe_dataset_import_job(
            datasetImportJobArn=dataset_import_job_arn
        )
        status = describe_dataset_import_job_response["datasetImportJob"]["status"]
        print("DatasetImportJob: {}".format(status))

        if status == "ACTIVE" or status == "CREATE FAILED":
            break

        time.sleep(60)
    # ---- [code 61]: `%store ...` -- ADAPTED: dropped; notebook 2 runs in this same scope

    # ======== 02_Validating_and_Importing_Item_Metadata ========

    # ---- [code 2]: `%store -r` -- ADAPTED: dropped (same scope)
    # ---- [code 4]
    import time
    from time import sleep
    import json
    from datetime import datetime
    import boto3
    # ADAPTED: `import pandas as pd` dropped (see cells 6-19)

    # ---- [code 6] .. [code 19]
    # ADAPTED: the pandas preparation (year extracted from the title, columns movieId, genres,
    # year renamed ITEM_ID, GENRE, YEAR) is done with the csv module and re on the synthetic
    # movies.csv; cells 7-15 only display data.
    import re

    with open(dataset_dir + "/movies.csv") as f:
        movies = list(csv.DictReader(f))
    itemmetadata_filename = "item-meta.csv"
    _write_csv(
        data_dir + "/" + itemmetadata_filename,
        ["ITEM_ID", "GENRE", "YEAR"],
        [
            (m["movieId"], m["genres"], re.match(r".*\((.*)\).*", m["title"]).group(1))
            for m in movies
        ],
    )
    # ---- [code 20]
    # Configure the SDK to Personalize:
    personalize = boto3.client("personalize")
    personalize_runtime = boto3.client("personalize-runtime")
    # ---- [code 22]
    itemmetadata_schema = {
        "type": "record",
        "name": "Items",
        "namespace": "com.amazonaws.personalize.schema",
        "fields": [
            {"name": "ITEM_ID", "type": "string"},
            {"name": "GENRE", "type": "string", "categorical": True},
            {
                "name": "YEAR",
                "type": "int",
            },
        ],
        "version": "1.0",
    }

    create_schema_response = personalize.create_schema(
        name="personalize-poc-movielens-item", schema=json.dumps(itemmetadata_schema)
    )

    itemmetadataschema_arn = create_schema_response["schemaArn"]
    print(json.dumps(create_schema_response, indent=2))
    # ---- [code 24]
    dataset_type = "ITEMS"
    create_dataset_response = personalize.create_dataset(
        name="personalize-poc-movielens-items",
        datasetType=dataset_type,
        datasetGroupArn=dataset_group_arn,
        schemaArn=itemmetadataschema_arn,
    )

    items_dataset_arn = create_dataset_response["datasetArn"]
    print(json.dumps(create_dataset_response, indent=2))
    # ---- [code 26]
    itemmetadata_file_path = data_dir + "/" + itemmetadata_filename
    boto3.Session().resource("s3").Bucket(bucket_name).Object(itemmetadata_filename).upload_file(
        itemmetadata_file_path
    )
    interactions_s3DataPath = "s3://" + bucket_name + "/" + itemmetadata_filename
    # ---- [code 28]
    create_dataset_import_job_response = personalize.create_dataset_import_job(
        jobName="personalize-poc-item-import1",
        datasetArn=items_dataset_arn,
        dataSource={"dataLocation": "s3://{}/{}".format(bucket_name, itemmetadata_filename)},
        roleArn=role_arn,
    )

    dataset_import_job_arn = create_dataset_import_job_response["datasetImportJobArn"]
    print(json.dumps(create_dataset_import_job_response, indent=2))
    # ---- [code 30]  (`%%time` dropped -- ADAPTED: IPython magic)
    max_time = time.time() + 6 * 60 * 60  # 6 hours
    while time.time() < max_time:
        describe_dataset_import_job_response = personalize.describe_dataset_import_job(
            datasetImportJobArn=dataset_import_job_arn
        )
        status = describe_dataset_import_job_response["datasetImportJob"]["status"]
        print("DatasetImportJob: {}".format(status))

        if status == "ACTIVE" or status == "CREATE FAILED":
            break

        time.sleep(60)
    # ---- [code 32]: `%store ...` -- ADAPTED: dropped

    workdir.cleanup()  # ADAPTED: the temporary directory of the data files
