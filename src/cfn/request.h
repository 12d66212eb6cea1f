/* SPDX-License-Identifier: Apache-2.0 */
/*
 * request: a CloudFormation custom-resource request, as Lambda delivers it.
 *
 * The event is JSON: RequestType (Create | Update | Delete), ResponseURL,
 * StackId, RequestId, LogicalResourceId, ResourceType, ResourceProperties,
 * and for Update/Delete PhysicalResourceId (and OldResourceProperties on
 * Update). A re-invocation of this function carries the same event plus our
 * own "EcsTasksState" object.
 */
#ifndef ECS_CFN_REQUEST_H
#define ECS_CFN_REQUEST_H

#include <jansson.h>
#include <stddef.h>

typedef enum { CFN_CREATE, CFN_UPDATE, CFN_DELETE } cfn_request_type;

typedef struct cfn_request {
    cfn_request_type type;
    const char *request_type; /* "Create", "Update", "Delete" */
    const char *response_url;
    const char *stack_id;
    const char *request_id;
    const char *logical_resource_id;
    const char *resource_type;        /* "" when absent */
    const char *physical_resource_id; /* NULL on Create */
    json_t *properties;               /* object; {} when absent */
    json_t *old_properties;           /* object or NULL */
    json_t *state;                    /* our re-invocation state (any JSON value,
                                         unchecked), or NULL when absent */
    json_t *event;                    /* the whole event; owns everything above */
} cfn_request;

/* The key under which a re-invocation carries its state. */
#define CFN_STATE_KEY "EcsTasksState"

typedef enum {
    CFN_PARSE_OK = 0,
    CFN_PARSE_NOT_JSON, /* not JSON, or not an object: answer through /error */
    CFN_PARSE_NOT_CFN,  /* no usable ResponseURL, or identifiers no CloudFormation
                           request has (too long, control characters): answer
                           through /error */
    CFN_PARSE_INVALID,  /* a ResponseURL, but a field is missing or wrong:
                           answer FAILED to CloudFormation */
} cfn_parse_status;

/*
 * Parses an event. On CFN_PARSE_OK and CFN_PARSE_INVALID, *req holds what
 * could be read (free it with cfn_request_free; on INVALID the string fields
 * that were missing are ""). `why` (capacity cap) says what was wrong.
 */
cfn_parse_status cfn_request_parse(const char *event, size_t len, cfn_request *req, char *why,
                                   size_t cap);

void cfn_request_free(cfn_request *req);

#endif
