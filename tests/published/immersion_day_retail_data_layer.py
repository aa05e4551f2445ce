"""Immersion Day (Retail), notebook 1: the data layer of a domain (ECOMMERCE) dataset group.

Source: aws-samples/amazon-personalize-immersion-day, commit
0622ab8f517d3b61d459c90dd228044195d45f50 (last change to Retail/:
cb89dfa7049f43cf69c9a5885630d223220d9831), notebook Retail/Retail_01_Data_Layer.ipynb,
with its Retail/params.json and Retail/params_data.json (copied verbatim to
data/immersion_day_retail/).

Licence: MIT. Copyright (c) 2023 Amazon Inc. The licence's notice follows:

    Permission is hereby granted, free of charge, to any person obtaining a copy
    of this software and associated documentation files (the "Software"), to deal
    in the Software without restriction, including without limitation the rights
    to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
    copies of the Software, and to permit persons to whom the Software is
    furnished to do so, subject to the following conditions:

    The above copyright notice and this permission notice shall be included in all
    copies or substantial portions of the Software.

    THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
    IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
    FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
    AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
    LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
    OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
    SOFTWARE.

The code cells in order. Adapted: the CSV downloads (read with pandas from
code.retaildemostore.retail.aws.dev) are replaced by small synthetic CSVs in the
same columns; the user and item metadata downloads (loaded only for later notebooks)
are dropped; the region comes from a constant instead of the notebook instance's
metadata file; params.json is read from the copy next to this module; the cells run
in a temporary working directory; display-only cells and IPython magics are dropped.
Every Personalize, SSM, S3, IAM and STS call and every polling loop is as published.
"""

# ruff: noqa
# (published code, kept as written; its layout was normalised once by ``ruff format``,
# quotes and line breaks only, before tests/published was excluded from ruff)

import csv
import os
import tempfile

_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "immersion_day_retail")


def _write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def run() -> None:
    # ADAPTED: the notebook's relative paths (./poc_data/...) resolve in a temporary
    # working directory, restored at the end.
    workdir = tempfile.TemporaryDirectory()
    cwd = os.getcwd()
    os.chdir(workdir.name)
    try:
        _cells()
    finally:
        os.chdir(cwd)
        workdir.cleanup()


def _cells() -> None:
    # ---- [code 2]
    # Get the latest version of botocore to ensure we have the latest features in the SDK
    import sys

    # ADAPTED: `!pip install --upgrade pip / botocore`, `!pip install seaborn` dropped (no network)
    import os.path
    import boto3
    import json

    # ADAPTED: `import pandas as pd`, seaborn and matplotlib dropped (not in the dev venv;
    # used only to load and show the downloaded data, see cells 12-31)
    import time
    from time import sleep
    import csv

    # ADAPTED: `import yaml` dropped (used only by cell 31, dropped)
    from datetime import datetime

    data_dir = "poc_data"

    # ADAPTED: `!mkdir $data_dir`, `!mkdir $data_dir/data`, `!mkdir $data_dir/metadata`
    os.mkdir(data_dir)
    os.mkdir(data_dir + "/data")
    os.mkdir(data_dir + "/metadata")

    # ADAPTED: `%matplotlib inline` dropped
    # ---- [code 3]
    # Configure the SDK to Personalize:
    personalize = boto3.client("personalize")
    personalize_runtime = boto3.client("personalize-runtime")
    # ---- [code 4]
    # Get the account id and region to use later
    account_id = boto3.client("sts").get_caller_identity().get("Account")
    print("account id:", account_id)

    # ADAPTED: the region was read from /opt/ml/metadata/resource-metadata.json (a SageMaker
    # notebook instance); a constant here.
    region = "us-east-1"
    print("region:", region)
    # ---- [code 6]
    # Opening JSON files
    f = open(os.path.join(_DATA, "params.json"))  # ADAPTED: the copy next to this module
    parameters = json.load(f)

    f = open(os.path.join(_DATA, "params_data.json"))  # ADAPTED: the copy next to this module
    parameters_data = json.load(f)
    # ---- [code 7]
    workshop_dataset_group_name = parameters["datasetGroup"]["serviceConfig"]["name"]

    interactions_schema_name = parameters["datasets"]["interactions"]["schema"]["serviceConfig"][
        "name"
    ]
    interactions_dataset_name = parameters["datasets"]["interactions"]["dataset"]["serviceConfig"][
        "name"
    ]

    items_schema_name = parameters["datasets"]["items"]["schema"]["serviceConfig"]["name"]
    items_dataset_name = parameters["datasets"]["items"]["dataset"]["serviceConfig"]["name"]

    users_schema_name = parameters["datasets"]["users"]["schema"]["serviceConfig"]["name"]
    users_dataset_name = parameters["datasets"]["users"]["dataset"]["serviceConfig"]["name"]

    # The following job names are the starting Strings of the job names that can be created
    interactions_import_job_name = "dataset_import_interaction"
    items_import_job_name = "dataset_import_item"
    users_import_job_name = "dataset_import_user"

    for recommender in parameters["recommenders"]:
        # This is currently configured assuming only one recommender of each type, if there are multiple
        # recommenders of the same type further configuration is needed.
        if (
            recommender["serviceConfig"]["recipeArn"]
            == "arn:aws:personalize:::recipe/aws-ecomm-customers-who-viewed-x-also-viewed"
        ):
            recommender_customers_who_viewed_name = recommender["serviceConfig"]["name"]
        if (
            recommender["serviceConfig"]["recipeArn"]
            == "arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you"
        ):
            recommender_recommended_for_you_name = recommender["serviceConfig"]["name"]

    for solution in parameters["solutions"]:
        # This is currently configured assuming only one solution of this type, if there are multiple
        # solutions of the same type further configuration is needed.
        if (
            solution["serviceConfig"]["recipeArn"]
            == "arn:aws:personalize:::recipe/aws-personalized-ranking"
        ):
            workshop_rerank_solution_name = solution["serviceConfig"]["name"]
            # This is currently configured assuming only one campaign, if there are multiple campaigns
            # further configuration is needed.
            workshop_rerank_campaign_name = solution["campaigns"][0]["serviceConfig"]["name"]

    # ADAPTED: the user metadata (users.json.gz) and item metadata (products.yaml) downloads
    # (`!wget`, `!gzip -d`) are dropped: no network, and they are loaded only into
    # dataframes kept for later notebooks (cells 25 and 31).

    raw_interactions_file_path = parameters_data["data_files"]["interactions_file_path"]
    raw_items_file_path = parameters_data["data_files"]["items_file_path"]
    raw_users_file_path = parameters_data["data_files"]["users_file_path"]
    # ---- [code 9]
    try:
        # Describe a few resources using the SDK
        recommender_customers_who_viewed_arn = (
            "arn:aws:personalize:"
            + region
            + ":"
            + account_id
            + ":recommender/"
            + recommender_customers_who_viewed_name
        )
        describe_response = personalize.describe_recommender(
            recommenderArn=recommender_customers_who_viewed_arn
        )

        recommender_recommended_for_you_arn = (
            "arn:aws:personalize:"
            + region
            + ":"
            + account_id
            + ":recommender/"
            + recommender_recommended_for_you_name
        )
        describe_response = personalize.describe_recommender(
            recommenderArn=recommender_recommended_for_you_arn
        )

        workshop_rerank_solution_arn = (
            "arn:aws:personalize:"
            + region
            + ":"
            + account_id
            + ":solution/"
            + workshop_rerank_solution_name
        )
        describe_response = personalize.describe_solution(solutionArn=workshop_rerank_solution_arn)

        print("SDK and resource check SUCCEEDED!")

    except:
        print(
            "SDK check FAILED. Proceed to the next cell if you will be uploading data and training models as you go."
        )
    # ---- [code 12] .. [code 31]
    # ADAPTED: `pd.read_csv(raw_..._file_path)` of the three CSVs (network) and their
    # `to_csv("./poc_data/data/....csv")` are replaced by small synthetic files in the
    # columns the schemas below declare; cells 15-20, 23, 25, 28 and 31 only show data.
    _write_csv(
        "./poc_data/data/interactions.csv",
        ["ITEM_ID", "USER_ID", "EVENT_TYPE", "TIMESTAMP", "DISCOUNT"],
        [
            (
                f"item-{i % 13}",
                f"user-{i % 9}",
                ("View", "AddToCart", "Purchase")[i % 3],
                1591803782 + 37 * i,
                ("Yes", "No")[i % 2],
            )
            for i in range(80)
        ],
    )
    _write_csv(
        "./poc_data/data/users.csv",
        ["USER_ID", "AGE", "GENDER"],
        [(f"user-{u}", 20 + 3 * u, ("M", "F")[u % 2]) for u in range(9)],
    )
    _write_csv(
        "./poc_data/data/items.csv",
        ["ITEM_ID", "PRICE", "CATEGORY_L1", "CATEGORY_L2", "PRODUCT_DESCRIPTION", "GENDER"],
        [
            (
                f"item-{i}",
                9.99 + i,
                ("footwear", "apparel")[i % 2],
                ("sandals", "shirts")[i % 2],
                f"A synthetic product number {i}",
                ("M", "F")[i % 2],
            )
            for i in range(13)
        ],
    )
    # ---- [code 34]
    # ADAPTED: the region was read from /opt/ml/metadata/resource-metadata.json; a constant here.
    region = "us-east-1"

    # To use a different region use:
    # region = <your_region>

    print("region:", region)
    # ---- [code 36]
    # Configure the SDK to SSM:
    ssm = boto3.client("ssm")
    s3 = boto3.client("s3")
    bucket_found = False
    try:
        personalizes3bucket = ssm.get_parameter(
            Name="/cloudformation/personalize-s3-bucket", WithDecryption=False
        )
        bucket_name = personalizes3bucket["Parameter"]["Value"]
        print("Bucket created as part of cloud formation template found")
        print("bucket_name:", bucket_name)
        bucket_found = True
    except:
        account_id = boto3.client("sts").get_caller_identity().get("Account")
        bucket_name = account_id + "-" + region + "-" + "personalize-poc-retail"

        # getting existing buckets in the account
        response = s3.list_buckets()

        if bucket_name in [x["Name"] for x in response["Buckets"]]:
            print("The bucket already exists.")
        else:
            if region == "us-east-1":
                bucket_responese = s3.create_bucket(Bucket=bucket_name)
            else:
                bucket_responese = s3.create_bucket(
                    Bucket=bucket_name, CreateBucketConfiguration={"LocationConstraint": region}
                )
        print("bucket_name:", bucket_name)
    # ---- [code 38]
    if bucket_found:
        bucket_current_policy = s3.get_bucket_policy(Bucket=bucket_name)["Policy"]
        print("Policy for bucket created as part of cloud formation template:")
        print(json.loads(bucket_current_policy))
    else:
        policy = {
            "Version": "2012-10-17",
            "Id": "PersonalizeS3BucketAccessPolicy",
            "Statement": [
                {
                    "Sid": "PersonalizeS3BucketAccessPolicy",
                    "Effect": "Allow",
                    "Principal": {"Service": "personalize.amazonaws.com"},
                    "Action": ["s3:GetObject", "s3:ListBucket", "s3:PutObject"],
                    "Resource": [
                        "arn:aws:s3:::{}".format(bucket_name),
                        "arn:aws:s3:::{}/*".format(bucket_name),
                    ],
                }
            ],
        }

        bucket_current_policy = None

        try:
            bucket_current_policy = s3.get_bucket_policy(Bucket=bucket_name)["Policy"]

        except s3.exceptions.from_code("NoSuchBucketPolicy") as e:
            print("There is no current Bucket Policy for bucket " + bucket_name)

        except Exception as e:
            raise (e)

        if bucket_current_policy and policy == json.loads(bucket_current_policy):
            print("The policy is already associated with the S3 Bucket.")
        else:
            print("Adding the policy to the bucket.")
            print(s3.put_bucket_policy(Bucket=bucket_name, Policy=json.dumps(policy)))
    # ---- [code 40]
    if bucket_found:
        print(
            "Cloud formation template used - skipping creation of IAM role and needed policies for Personalize as they were already created as part of the automation script"
        )
        role_arn_info = ssm.get_parameter(
            Name="/cloudformation/personalize-iam-role-arn", WithDecryption=False
        )
        role_arn = role_arn_info["Parameter"]["Value"]
        role_name = role_arn.split("/")[1]
        s3_access_policy_arn = "arn:aws:iam::{}:policy/restrictedS3Access".format(account_id)
    else:
        iam = boto3.client("iam")

        role_name = account_id + "-PersonalizeS3-Immersion-Day"
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

        # Create policy

        s3_access_policy_document = {
            "Version": "2012-10-17",
            "Statement": {
                "Sid": "myStatement",
                "Effect": "Allow",
                "Resource": [
                    "arn:aws:s3:::{}".format(bucket_name),
                    "arn:aws:s3:::{}/*".format(bucket_name),
                ],
                "Action": "s3:*",
            },
        }

        try:
            policy_response = iam.create_policy(
                PolicyName="restrictedS3Access",
                PolicyDocument=json.dumps(s3_access_policy_document),
                Description="Restricts access to only workshop S3 bucket",
            )

            s3_access_policy_arn = policy_response["Policy"]["Arn"]

            print("s3_access_policy_arn:{}".format(s3_access_policy_arn))
        except:
            s3_access_policy_arn = "arn:aws:iam::{}:policy/restrictedS3Access".format(account_id)
            print("The policy {} already exists.".format(s3_access_policy_arn))
            print("Using the existing policy")

        try:
            create_role_response = iam.create_role(
                RoleName=role_name,
                AssumeRolePolicyDocument=json.dumps(assume_role_policy_document),
            )
            role_arn = create_role_response["Role"]["Arn"]

            print("10s pause to allow role to be fully consistent.")
            time.sleep(10)

        except iam.exceptions.EntityAlreadyExistsException as e:
            print("Warning: role already exists:", e)
            role_arn = iam.get_role(RoleName=role_name)["Role"]["Arn"]

        print("IAM Role: {}\n".format(role_arn))

        # Attach the policy if it is not previously attached:
        if s3_access_policy_arn in [
            x["PolicyArn"]
            for x in iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"]
        ]:
            print("The policy {} is already attached to this role.".format(s3_access_policy_arn))
        else:
            print("Attaching the role_policy: {}".format(s3_access_policy_arn))
            attach_response = iam.attach_role_policy(
                RoleName=role_name, PolicyArn=s3_access_policy_arn
            )
            print("30s pause to allow role to be fully consistent.")
            time.sleep(30)
            print("Done.")
    # ---- [code 42]
    try:
        s3.get_object(
            Bucket=bucket_name,
            Key="retail/interactions.csv",
        )
        print("{} already exists in the bucket {}".format("retail/interactions.csv", bucket_name))
    except s3.exceptions.NoSuchKey:
        # Uploading the file if it does not already exist
        boto3.Session().resource("s3").Bucket(bucket_name).Object(
            "retail/interactions.csv"
        ).upload_file("./poc_data/data/interactions.csv")
        print("File {} uploaded to bucket {}".format("retail/interactions.csv", bucket_name))

    try:
        s3.get_object(
            Bucket=bucket_name,
            Key="retail/items.csv",
        )
        print("{} already exists in the bucket {}".format("retail/items.csv", bucket_name))
    except s3.exceptions.NoSuchKey:
        # Uploading the file if it does not already exist
        boto3.Session().resource("s3").Bucket(bucket_name).Object("retail/items.csv").upload_file(
            "./poc_data/data/items.csv"
        )
        print("File {} uploaded to bucket {}".format("retail/items.csv", bucket_name))

    try:
        s3.get_object(
            Bucket=bucket_name,
            Key="retail/users.csv",
        )
        print("{} already exists in the bucket {}".format("retail/users.csv", bucket_name))
    except s3.exceptions.NoSuchKey:
        # Uploading the file if it does not already exist
        boto3.Session().resource("s3").Bucket(bucket_name).Object("retail/users.csv").upload_file(
            "./poc_data/data/users.csv"
        )
        print("File {} uploaded to bucket {}".format("retail/users.csv", bucket_name))
    # ---- [code 45]
    try:
        # Try to create the dataset group, this block with exectute fully if the dataset group does not exist yet

        create_dataset_group_response = personalize.create_dataset_group(
            name=workshop_dataset_group_name, domain="ECOMMERCE"
        )
        workshop_dataset_group_arn = create_dataset_group_response["datasetGroupArn"]
        print(json.dumps(create_dataset_group_response, indent=2))
        print(
            "\nCreating the Dataset Group with dataset_group_arn = {}".format(
                workshop_dataset_group_arn
            )
        )

    except personalize.exceptions.ResourceAlreadyExistsException as e:
        # if the dataset group already exists, get the unique identifier workshop_dataset_group_arn
        # from the existing resource

        workshop_dataset_group_arn = (
            "arn:aws:personalize:"
            + region
            + ":"
            + account_id
            + ":dataset-group/"
            + workshop_dataset_group_name
        )
        print(
            "\nThe the Dataset Group with dataset_group_arn = {} already exists".format(
                workshop_dataset_group_arn
            )
        )
        print(
            "\nWe will be using the existing Dataset Group dataset_group_arn = {}".format(
                workshop_dataset_group_arn
            )
        )
    # ---- [code 48]
    status = None
    max_time = time.time() + 3 * 60 * 60  # 3 hours
    while time.time() < max_time:
        describe_dataset_group_response = personalize.describe_dataset_group(
            datasetGroupArn=workshop_dataset_group_arn
        )
        status = describe_dataset_group_response["datasetGroup"]["status"]
        print("DatasetGroup: {}".format(status))

        if status == "ACTIVE" or status == "CREATE FAILED":
            break

        time.sleep(15)
    # ---- [code 52]
    interactions_schema = {
        "type": "record",
        "name": "Interactions",
        "namespace": "com.amazonaws.personalize.schema",
        "fields": [
            {"name": "ITEM_ID", "type": "string"},
            {"name": "USER_ID", "type": "string"},
            {
                "name": "EVENT_TYPE",  # "View", "Purchase", etc.
                "type": "string",
            },
            {"name": "TIMESTAMP", "type": "long"},
            {
                "name": "DISCOUNT",  # This is the contextual metadata - "Yes" or "No".
                "type": "string",
                "categorical": True,
            },
        ],
        "version": "1.0",
    }

    try:
        # Try to create the interactions dataset schema, this block with exectute fully
        # if the interactions dataset schema does not exist yet
        create_schema_response = personalize.create_schema(
            name=interactions_schema_name,
            schema=json.dumps(interactions_schema),
            domain="ECOMMERCE",
        )
        print(json.dumps(create_schema_response, indent=2))
        workshop_interactions_schema_arn = create_schema_response["schemaArn"]
        print(
            "\nCreating the Interactions Schema with workshop_interactions_schema_arn = {}".format(
                workshop_interactions_schema_arn
            )
        )

    except personalize.exceptions.ResourceAlreadyExistsException:
        # if the interactions dataset schema already exists, get the unique identifier workshop_interactions_schema_arn
        # from the existing resource

        workshop_interactions_schema_arn = (
            "arn:aws:personalize:"
            + region
            + ":"
            + account_id
            + ":schema/"
            + interactions_schema_name
        )
        print("The schema {} already exists.".format(workshop_interactions_schema_arn))
        print(
            "\nWe will be using the existing Interactions Schema with workshop_interactions_schema_arn = {}".format(
                workshop_interactions_schema_arn
            )
        )

    # ---- [code 54]
    try:
        # Try to create the interactions dataset, this block with exectute fully
        # if the interactions dataset does not exist yet

        dataset_type = "INTERACTIONS"
        create_dataset_response = personalize.create_dataset(
            name=interactions_dataset_name,
            datasetType=dataset_type,
            datasetGroupArn=workshop_dataset_group_arn,
            schemaArn=workshop_interactions_schema_arn,
        )

        workshop_interactions_dataset_arn = create_dataset_response["datasetArn"]
        print(json.dumps(create_dataset_response, indent=2))
        print(
            "\nCreating the Interactions Dataset with workshop_interactions_dataset_arn = {}".format(
                workshop_interactions_dataset_arn
            )
        )

    except personalize.exceptions.ResourceAlreadyExistsException:
        # if the interactions dataset already exists, get the unique identifier workshop_interactions_dataset_arn
        # from the existing resource
        workshop_interactions_dataset_arn = (
            "arn:aws:personalize:"
            + region
            + ":"
            + account_id
            + ":dataset/"
            + workshop_dataset_group_name
            + "/INTERACTIONS"
        )
        print(
            "The Interactions Dataset {} already exists.".format(workshop_interactions_dataset_arn)
        )
        print(
            "\nWe will be using the existing Interactions Dataset with workshop_interactions_dataset_arn = {}".format(
                workshop_interactions_dataset_arn
            )
        )

    # ---- [code 56]
    items_schema = {
        "type": "record",
        "name": "Items",
        "namespace": "com.amazonaws.personalize.schema",
        "fields": [
            {"name": "ITEM_ID", "type": "string"},
            {"name": "PRICE", "type": "float"},
            {"name": "CATEGORY_L1", "type": "string", "categorical": True},
            {"name": "CATEGORY_L2", "type": "string", "categorical": True},
            {"name": "PRODUCT_DESCRIPTION", "type": "string", "textual": True},
            {"name": "GENDER", "type": "string", "categorical": True},
        ],
        "version": "1.0",
    }

    try:
        # Try to create the items dataset schema, this block with exectute fully
        # if the items dataset schema does not exist yet

        create_schema_response = personalize.create_schema(
            name=items_schema_name, schema=json.dumps(items_schema), domain="ECOMMERCE"
        )
        workshop_items_schema_arn = create_schema_response["schemaArn"]
        print(json.dumps(create_schema_response, indent=2))

        print(
            "\nCreating the Items Schema with workshop_items_schema_arn = {}".format(
                workshop_items_schema_arn
            )
        )

    except personalize.exceptions.ResourceAlreadyExistsException:
        # if the items dataset schema already exists, get the unique identifier workshop_items_schema_arn
        # from the existing resource

        workshop_items_schema_arn = (
            "arn:aws:personalize:" + region + ":" + account_id + ":schema/" + items_schema_name
        )
        print("The schema {} already exists.".format(workshop_items_schema_arn))
        print(
            "\nWe will be using the existing Items Schema with workshop_items_schema_arn = {}".format(
                workshop_items_schema_arn
            )
        )

    # ---- [code 58]
    try:
        # Try to create the items dataset, this block with execute fully if the items dataset does not exist yet

        dataset_type = "ITEMS"
        create_dataset_response = personalize.create_dataset(
            name=items_dataset_name,
            datasetType=dataset_type,
            datasetGroupArn=workshop_dataset_group_arn,
            schemaArn=workshop_items_schema_arn,
        )

        workshop_items_dataset_arn = create_dataset_response["datasetArn"]
        print(json.dumps(create_dataset_response, indent=2))

        print(
            "\nCreating the Items Dataset with workshop_items_dataset_arn = {}".format(
                workshop_items_dataset_arn
            )
        )

    except personalize.exceptions.ResourceAlreadyExistsException:
        # if the items dataset already exists, get the unique identifier workshop_items_dataset_arn
        # from the existing resource

        workshop_items_dataset_arn = (
            "arn:aws:personalize:"
            + region
            + ":"
            + account_id
            + ":dataset/"
            + workshop_dataset_group_name
            + "/ITEMS"
        )
        print("The Items Dataset {} already exists.".format(workshop_items_dataset_arn))
        print(
            "\nWe will be using the existing Items Dataset with workshop_items_dataset_arn = {}".format(
                workshop_items_dataset_arn
            )
        )
    # ---- [code 60]
    users_schema = {
        "type": "record",
        "name": "Users",
        "namespace": "com.amazonaws.personalize.schema",
        "fields": [
            {"name": "USER_ID", "type": "string"},
            {"name": "AGE", "type": "int"},
            {
                "name": "GENDER",
                "type": "string",
                "categorical": True,
            },
        ],
        "version": "1.0",
    }

    try:
        # Try to create the users dataset schema, this block with exectute fully
        # if the users dataset schema does not exist yet

        create_schema_response = personalize.create_schema(
            name=users_schema_name, schema=json.dumps(users_schema), domain="ECOMMERCE"
        )

        workshop_users_schema_arn = create_schema_response["schemaArn"]
        print(json.dumps(create_schema_response, indent=2))

        print(
            "\nCreating the Users Schema with workshop_users_schema_arn = {}".format(
                workshop_users_schema_arn
            )
        )

    except personalize.exceptions.ResourceAlreadyExistsException:
        # if the users dataset schema already exists, get the unique identifier workshop_users_schema_arn
        # from the existing resource

        workshop_users_schema_arn = (
            "arn:aws:personalize:" + region + ":" + account_id + ":schema/" + users_schema_name
        )
        print("The schema {} already exists.".format(workshop_users_schema_arn))
        print(
            "\nWe will be using the existing Users Schema with workshop_users_schema_arn = {}".format(
                workshop_users_schema_arn
            )
        )

    # ---- [code 62]
    try:
        # Try to create the users dataset, this block with exectute fully if the users dataset does not exist yet

        dataset_type = "USERS"
        create_dataset_response = personalize.create_dataset(
            name=users_dataset_name,
            datasetType=dataset_type,
            datasetGroupArn=workshop_dataset_group_arn,
            schemaArn=workshop_users_schema_arn,
        )

        workshop_users_dataset_arn = create_dataset_response["datasetArn"]
        print(json.dumps(create_dataset_response, indent=2))

        print(
            "\nCreating the Users Dataset with workshop_users_dataset_arn = {}".format(
                workshop_users_dataset_arn
            )
        )

    except personalize.exceptions.ResourceAlreadyExistsException:
        # if the users dataset already exists, get the unique identifier workshop_users_dataset_arn
        # from the existing resource

        workshop_users_dataset_arn = (
            "arn:aws:personalize:"
            + region
            + ":"
            + account_id
            + ":dataset/"
            + workshop_dataset_group_name
            + "/USERS"
        )
        print("The Users Dataset {} already exists.".format(workshop_users_dataset_arn))
        print(
            "\nWe will be using the existing Users Dataset with workshop_users_dataset_arn = {}".format(
                workshop_users_dataset_arn
            )
        )
    # ---- [code 64]
    # ADAPTED: `%%time` (IPython magic) dropped

    max_time = time.time() + 6 * 60 * 60  # 6 hours
    while time.time() < max_time:
        describe_dataset_response = personalize.describe_dataset(
            datasetArn=workshop_interactions_dataset_arn
        )
        status_interaction_dataset = describe_dataset_response["dataset"]["status"]
        print("Interactions Dataset: {}".format(status_interaction_dataset))

        if status_interaction_dataset == "ACTIVE":
            print("Build succeeded for {}".format(workshop_interactions_dataset_arn))

        elif status_interaction_dataset == "CREATE FAILED":
            print("Build failed for {}".format(workshop_interactions_dataset_arn))
            break

        if not status_interaction_dataset == "ACTIVE":
            print("The interaction dataset creation is still in progress")
        else:
            print("The interaction dataset  is ACTIVE")

        describe_dataset_response = personalize.describe_dataset(
            datasetArn=workshop_items_dataset_arn
        )
        status_item_dataset = describe_dataset_response["dataset"]["status"]
        print("Items Dataset: {}".format(status_item_dataset))

        if status_item_dataset == "ACTIVE":
            print("Build succeeded for {}".format(workshop_items_dataset_arn))

        elif status_item_dataset == "CREATE FAILED":
            print("Build failed for {}".format(workshop_items_dataset_arn))
            break

        if not status_item_dataset == "ACTIVE":
            print("The item dataset creation is still in progress")
        else:
            print("The item dataset  is ACTIVE")

        describe_dataset_response = personalize.describe_dataset(
            datasetArn=workshop_users_dataset_arn
        )
        status_user_dataset = describe_dataset_response["dataset"]["status"]
        print("Users Dataset: {}".format(status_user_dataset))

        if status_user_dataset == "ACTIVE":
            print("Build succeeded for {}".format(workshop_users_dataset_arn))

        elif status_user_dataset == "CREATE FAILED":
            print("Build failed for {}".format(workshop_users_dataset_arn))
            break

        if not status_user_dataset == "ACTIVE":
            print("The user dataset creation is still in progress")
        else:
            print("The user dataset  is ACTIVE")

        if (
            status_interaction_dataset == "ACTIVE"
            and status_item_dataset == "ACTIVE"
            and status_user_dataset == "ACTIVE"
        ):
            break

        time.sleep(30)
    # ---- [code 66]
    # Check if the import job already exists

    # List the import jobs
    interactions_dataset_import_jobs = personalize.list_dataset_import_jobs(
        datasetArn=workshop_interactions_dataset_arn, maxResults=100
    )["datasetImportJobs"]

    # check if there is an existing job with the prefix
    job_exists = False
    job_arn = None

    for job in interactions_dataset_import_jobs:
        if interactions_import_job_name in job["jobName"]:
            job_exists = True
            job_arn = job["datasetImportJobArn"]

    if job_exists:
        workshop_interactions_dataset_import_job_arn = job_arn
        print(
            "The Interactions Import Job {} already exists.".format(
                workshop_interactions_dataset_import_job_arn
            )
        )
        print(
            "\nWe will be using the existing Interactions Import Job with workshop_interactions_dataset_import_job_arn = {}".format(
                workshop_interactions_dataset_import_job_arn
            )
        )

    else:
        # If there is no import job with the prefix, create it:
        create_dataset_import_job_response = personalize.create_dataset_import_job(
            jobName=interactions_import_job_name,
            datasetArn=workshop_interactions_dataset_arn,
            dataSource={
                "dataLocation": "s3://{}/{}".format(bucket_name, "retail/interactions.csv")
            },
            roleArn=role_arn,
        )
        workshop_interactions_dataset_import_job_arn = create_dataset_import_job_response[
            "datasetImportJobArn"
        ]
        print(json.dumps(create_dataset_import_job_response, indent=2))

        print(
            "\nImporting the Interactions Data with workshop_interactions_dataset_import_job_arn = {}".format(
                workshop_interactions_dataset_import_job_arn
            )
        )
    # ---- [code 68]
    # Checking if the import job already exists

    # List the import jobs
    items_dataset_import_jobs = personalize.list_dataset_import_jobs(
        datasetArn=workshop_items_dataset_arn, maxResults=100
    )["datasetImportJobs"]

    job_exists = False
    job_arn = None

    # check if there is an existing job with the prefix
    for job in items_dataset_import_jobs:
        if items_import_job_name in job["jobName"]:
            job_exists = True
            job_arn = job["datasetImportJobArn"]

    if job_exists:
        workshop_items_dataset_import_job_arn = job_arn
        print(
            "The Items Import Job {} already exists.".format(workshop_items_dataset_import_job_arn)
        )
        print(
            "\nWe will be using the existing Items Import Job with workshop_items_dataset_import_job_arn = {}".format(
                workshop_items_dataset_import_job_arn
            )
        )

    else:
        # If there is no import job with the prefix, create it:
        create_dataset_import_job_response = personalize.create_dataset_import_job(
            jobName=items_import_job_name,
            datasetArn=workshop_items_dataset_arn,
            dataSource={"dataLocation": "s3://{}/{}".format(bucket_name, "retail/items.csv")},
            roleArn=role_arn,
        )

        workshop_items_dataset_import_job_arn = create_dataset_import_job_response[
            "datasetImportJobArn"
        ]
        print(json.dumps(create_dataset_import_job_response, indent=2))
        print(
            "\nImporting the Items Data with workshop_items_dataset_import_job_arn = {}".format(
                workshop_items_dataset_import_job_arn
            )
        )

    # ---- [code 70]
    # Checking if the import job already exists

    # List the import jobs
    users_dataset_import_jobs = personalize.list_dataset_import_jobs(
        datasetArn=workshop_users_dataset_arn, maxResults=100
    )["datasetImportJobs"]

    # check if there is an existing job with the prefix
    job_exists = False
    job_arn = None
    for job in users_dataset_import_jobs:
        if users_import_job_name in job["jobName"]:
            job_exists = True
            job_arn = job["datasetImportJobArn"]

    if job_exists:
        workshop_users_dataset_import_job_arn = job_arn
        print(
            "The Users Import Job {} already exists.".format(workshop_users_dataset_import_job_arn)
        )
        print(
            "\nWe will be using the existing Users Import Job with workshop_users_dataset_import_job_arn = {}".format(
                workshop_users_dataset_import_job_arn
            )
        )

    else:
        # If there is no import job with the prefix, create it:
        create_dataset_import_job_response = personalize.create_dataset_import_job(
            jobName=users_import_job_name,
            datasetArn=workshop_users_dataset_arn,
            dataSource={"dataLocation": "s3://{}/{}".format(bucket_name, "retail/users.csv")},
            roleArn=role_arn,
        )

        workshop_users_dataset_import_job_arn = create_dataset_import_job_response[
            "datasetImportJobArn"
        ]
        print(json.dumps(create_dataset_import_job_response, indent=2))

        print(
            "\nImporting the Users Data with workshop_users_dataset_import_job_arn = {}".format(
                workshop_users_dataset_import_job_arn
            )
        )

    # ---- [code 72]
    max_time = time.time() + 6 * 60 * 60  # 10 hours
    while time.time() < max_time:
        # Interactions dataset import
        describe_dataset_import_job_response = personalize.describe_dataset_import_job(
            datasetImportJobArn=workshop_interactions_dataset_import_job_arn
        )
        status_interactions_import = describe_dataset_import_job_response["datasetImportJob"][
            "status"
        ]

        if status_interactions_import == "ACTIVE":
            print("Build succeeded for {}".format(workshop_interactions_dataset_import_job_arn))

        elif status_interactions_import == "CREATE FAILED":
            print("Build failed for {}".format(workshop_interactions_dataset_import_job_arn))
            break

        if not status_interactions_import == "ACTIVE":
            print("The interactions dataset import is still in progress")
        else:
            print("The interactions dataset import is ACTIVE")

        # Items dataset import
        describe_dataset_import_job_response = personalize.describe_dataset_import_job(
            datasetImportJobArn=workshop_items_dataset_import_job_arn
        )
        status_items_import = describe_dataset_import_job_response["datasetImportJob"]["status"]

        if status_items_import == "ACTIVE":
            print("Build succeeded for {}".format(workshop_items_dataset_import_job_arn))

        elif status_items_import == "CREATE FAILED":
            print("Build failed for {}".format(workshop_items_dataset_import_job_arn))
            break

        if not status_items_import == "ACTIVE":
            print("The items dataset import is still in progress")
        else:
            print("The items dataset import is ACTIVE")

        # Users dataset import
        describe_users_dataset_import_job_response = personalize.describe_dataset_import_job(
            datasetImportJobArn=workshop_users_dataset_import_job_arn
        )
        status_users_import = describe_users_dataset_import_job_response["datasetImportJob"][
            "status"
        ]

        if status_users_import == "ACTIVE":
            print("Build succeeded for {}".format(workshop_users_dataset_import_job_arn))

        elif status_users_import == "CREATE FAILED":
            print("Build failed for {}".format(workshop_users_dataset_import_job_arn))
            break

        if not status_users_import == "ACTIVE":
            print("The user dataset import is still in progress")
        else:
            print("The user dataset import is ACTIVE")

        if (
            status_interactions_import == "ACTIVE"
            and status_items_import == "ACTIVE"
            and status_users_import == "ACTIVE"
        ):
            break

        print()
        time.sleep(30)
    # ---- [code 75]: `%store ...` -- ADAPTED: dropped (IPython magic)
