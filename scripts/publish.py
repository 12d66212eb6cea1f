#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Uploads the zip to s3://BUCKET/KEY and prints its URL and object version
(make publish). The bucket should be versioned: the CloudFormation template
takes the version, so each publish is a new, immutable deployment.

    scripts/publish.py ZIP BUCKET KEY

AWS configuration comes from the environment as for the AWS CLI
(AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL_S3, ...).
"""
import os
import sys

import boto3


def main():
    if len(sys.argv) != 4 or not sys.argv[2]:
        sys.exit("usage: publish.py ZIP BUCKET KEY (set S3_BUCKET for make publish)")
    path, bucket, key = sys.argv[1:]
    s3 = boto3.client("s3")
    with open(path, "rb") as f:
        answer = s3.put_object(Bucket=bucket, Key=key, Body=f,
                               ContentType="application/zip")
    version = answer.get("VersionId")
    region = s3.meta.region_name
    print("s3://%s/%s" % (bucket, key))
    print("https://%s.s3.%s.amazonaws.com/%s" % (bucket, region, key))
    if version:
        print("S3ObjectVersion: %s" % version)
    else:
        print("warning: bucket %s is not versioned (no object version)" % bucket,
              file=sys.stderr)
    print("size: %d bytes" % os.path.getsize(path))


if __name__ == "__main__":
    main()
