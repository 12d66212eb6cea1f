# SPDX-License-Identifier: Apache-2.0
"""Test harness: real servers on loopback for the integration tests.

moto.MotoServer                 the moto AWS emulator in server mode
fault_proxy.FaultProxy          a recording, fault-injecting proxy in front of it
catcher.ResponseCatcher         the CloudFormation ResponseURL (records PUTs)
runtime_emulator.RuntimeEmulator  the Lambda Runtime API, running the real binary
"""
