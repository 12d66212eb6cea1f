/* SPDX-License-Identifier: Apache-2.0 */
/*
 * service: run a one-off task "like the service" (property Service,
 * `--service`).
 *
 * DescribeServices of the named service in the cluster gives the run its
 * network configuration (subnets, security groups, public IP), launch type
 * or capacity provider strategy, platform version and EnableExecuteCommand,
 * so a migration task runs where the service runs without repeating them.
 * Whatever the properties give explicitly wins: a launch type given keeps
 * the service's capacity provider strategy out and the reverse. StartTask
 * (Instances) takes only the network configuration and
 * EnableExecuteCommand.
 */
#ifndef ECS_ENGINE_SERVICE_H
#define ECS_ENGINE_SERVICE_H

#include <stddef.h>

#include "aws/client.h"
#include "engine/props.h"

/* Completes props->run_task from props->service (nothing to do when none).
 * Returns 0, or -1 with why (the service is unknown, DescribeServices
 * failed, or memory ran out). */
int service_apply(aws_client *aws, ecs_props *props, char *why, size_t cap);

#endif
