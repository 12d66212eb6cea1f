# SPDX-License-Identifier: Apache-2.0
"""The moto AWS emulator in server mode, started and stopped by the tests.

Start it once per test module (it takes about 3 s to listen):

    def setUpModule():
        global MOTO
        MOTO = MotoServer().start()

    def tearDownModule():
        MOTO.stop()

What it does and does not emulate: tests/integration/README.md, "moto".
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.request
import uuid

from . import transcript
from .util import free_port, wait_until

REGION = "us-east-1"
ACCOUNT = "123456789012"


class MotoServer:
    def __init__(self):
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.region = REGION
        self.account = ACCOUNT
        self.proc = None
        self.tmp = None
        # moto checks no signature unless IAM auth is on; a key of its own lets
        # the no-secrets check look for it in everything the program printed.
        self.secret_key = transcript.sensitive("moto-secret-" + uuid.uuid4().hex)

    # --- life cycle ---------------------------------------------------------

    def start(self):
        self.tmp = tempfile.mkdtemp(prefix="moto-")
        env = dict(os.environ)
        env.update({
            "MOTO_RECORDER_FILEPATH": os.path.join(self.tmp, "recording"),
            "DOCKER_HOST": "unix:///nonexistent.sock",
            "MOTO_LAMBDA_DATA_DIR": os.path.join(self.tmp, "lambda"),
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
        })
        self.log = open(os.path.join(self.tmp, "server.log"), "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            cwd=self.tmp, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        wait_until(self._ready, 60, 0.1, "moto to listen")
        return self

    def _ready(self):
        if self.proc.poll() is not None:
            raise RuntimeError("moto exited: see %s/server.log" % self.tmp)
        try:
            with urllib.request.urlopen(self.url + "/moto-api/data.json", timeout=1) as r:
                return r.status == 200
        except OSError:
            return False

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.tmp:
            self.log.close()
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- the environment of the program under test --------------------------

    def env(self, **overrides):
        """A clean environment for the C program: moto's endpoint and test keys,
        nothing inherited from the caller's AWS_* settings. A None removes."""
        home = os.path.join(self.tmp, "home")
        os.makedirs(home, exist_ok=True)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": home,
            "LANG": "C.UTF-8",
            "AWS_ENDPOINT_URL": self.url,
            "AWS_REGION": REGION,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_EC2_METADATA_DISABLED": "true",
            # The most verbose level, so the no-secrets check sees every line.
            "AWS_LAMBDA_LOG_LEVEL": "DEBUG",
        }
        for k, v in overrides.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v
        return env

    def client(self, service):
        import boto3
        from botocore.config import Config
        return boto3.client(service, region_name=REGION, endpoint_url=self.url,
                            aws_access_key_id="testing", aws_secret_access_key="testing",
                            config=Config(retries={"max_attempts": 1, "mode": "standard"}))

    # --- moto's own API ----------------------------------------------------

    def _post(self, path, body=b""):
        content_type = "text/plain"
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            content_type = "application/json"
        elif isinstance(body, str):
            body = body.encode()
        req = urllib.request.Request(self.url + path, data=body, method="POST",
                                     headers={"Content-Type": content_type})
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.read()

    def reset(self):
        self._post("/moto-api/reset")

    def set_ecs_transition(self, progression="manual", times=None, seconds=None):
        transition = {"progression": progression}
        if times is not None:
            transition["times"] = times
        if seconds is not None:
            transition["seconds"] = seconds
        self._post("/moto-api/state-manager/set-transition",
                   {"model_name": "ecs::task", "transition": transition})

    def unset_ecs_transition(self):
        self._post("/moto-api/state-manager/unset-transition", {"model_name": "ecs::task"})

    def set_auth(self, count):
        """0 turns IAM auth checking on now; "inf" turns it off."""
        self._post("/moto-api/reset-auth", str(count))

    # --- ECS set-up (README.md here, "moto") ---------------------------------

    def make_cluster_with_instance(self, cluster="test"):
        """A cluster with one registered container instance; returns its ARN."""
        ec2 = self.client("ec2")
        ecs = self.client("ecs")
        ecs.create_cluster(clusterName=cluster)
        instance = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1,
                                     MaxCount=1)["Instances"][0]["InstanceId"]
        doc = json.dumps({"instanceId": instance, "region": REGION, "accountId": ACCOUNT})
        return ecs.register_container_instance(
            cluster=cluster, instanceIdentityDocument=doc)["containerInstance"][
                "containerInstanceArn"]

    def make_awsvpc_service(self, cluster, service, task_definition, launch_type="FARGATE",
                            platform_version="1.4.0"):
        """A service with an awsvpc network configuration (a VPC with DNS
        host names, as moto's FARGATE needs); returns (subnet, security group)."""
        ec2 = self.client("ec2")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
        group = ec2.create_security_group(GroupName=service + "-sg", Description="service",
                                          VpcId=vpc)["GroupId"]
        self.client("ecs").create_service(
            cluster=cluster, serviceName=service, taskDefinition=task_definition,
            desiredCount=0, launchType=launch_type, platformVersion=platform_version,
            networkConfiguration={"awsvpcConfiguration": {
                "subnets": [subnet], "securityGroups": [group], "assignPublicIp": "DISABLED"}})
        return subnet, group

    # --- secrets (registered with the no-secrets check) -----------------------

    def create_secret(self, name, value):
        """A Secrets Manager secret; returns its ARN."""
        return self.client("secretsmanager").create_secret(
            Name=name, SecretString=transcript.sensitive(value))["ARN"]

    def put_secure_parameter(self, name, value):
        self.client("ssm").put_parameter(Name=name, Value=transcript.sensitive(value),
                                         Type="SecureString")

    def register_task_definition(self, family, containers):
        return self.client("ecs").register_task_definition(
            family=family, containerDefinitions=containers)["taskDefinition"][
                "taskDefinitionArn"]
