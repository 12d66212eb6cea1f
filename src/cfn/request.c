/* SPDX-License-Identifier: Apache-2.0 */
#include "cfn/request.h"

#include <stdio.h>
#include <string.h>

/* A string member, or "" (and a note in why) when it is missing or not a string. */
static const char *string_field(json_t *event, const char *key, char *why, size_t cap, int *bad)
{
    const char *s = json_string_value(json_object_get(event, key));
    if (s && *s)
        return s;
    if (!*bad)
        snprintf(why, cap, "the request has no %s", key);
    *bad = 1;
    return "";
}

static int parse_type(const char *s, cfn_request_type *type)
{
    static const struct {
        const char *name;
        cfn_request_type type;
    } types[] = {{"Create", CFN_CREATE}, {"Update", CFN_UPDATE}, {"Delete", CFN_DELETE}};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(s, types[i].name)) {
            *type = types[i].type;
            return 0;
        }
    return -1;
}

static int is_http_url(const char *s)
{
    return s && (!strncmp(s, "https://", 8) || !strncmp(s, "http://", 7));
}

/* The identifiers the answer echoes must leave room in its 4096 bytes: the
 * limits are CloudFormation's own (or well above them), and no control
 * character, which JSON would escape to six bytes. */
static const struct {
    const char *key;
    size_t max;
} echoed[] = {
    {"StackId", 512}, {"RequestId", 128}, {"LogicalResourceId", 255}, {"PhysicalResourceId", 1024}};

static int echo_safe(json_t *event, char *why, size_t cap)
{
    for (size_t i = 0; i < sizeof echoed / sizeof echoed[0]; i++) {
        const char *s = json_string_value(json_object_get(event, echoed[i].key));
        if (!s)
            continue;
        size_t n = strlen(s);
        int control = 0;
        for (size_t k = 0; k < n; k++)
            control |= (unsigned char)s[k] < 0x20 || s[k] == 0x7f;
        if (n > echoed[i].max || control) {
            snprintf(why, cap,
                     "the event is not a CloudFormation request (its %s is longer than %zu "
                     "characters or holds control characters)",
                     echoed[i].key, echoed[i].max);
            return -1;
        }
    }
    return 0;
}

cfn_parse_status cfn_request_parse(const char *event, size_t len, cfn_request *req, char *why,
                                   size_t cap)
{
    memset(req, 0, sizeof *req);
    why[0] = '\0';
    json_error_t jerr;
    json_t *root = json_loadb(event, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root || !json_is_object(root)) {
        snprintf(why, cap, "the event is not a JSON object%s%s", root ? "" : ": ",
                 root ? "" : jerr.text);
        json_decref(root);
        return CFN_PARSE_NOT_JSON;
    }
    const char *url = json_string_value(json_object_get(root, "ResponseURL"));
    if (!is_http_url(url)) {
        snprintf(why, cap, "the event is not a CloudFormation request (no http(s) ResponseURL)");
        json_decref(root);
        return CFN_PARSE_NOT_CFN;
    }
    if (echo_safe(root, why, cap) != 0) {
        json_decref(root);
        return CFN_PARSE_NOT_CFN;
    }
    req->event = root;
    req->response_url = url;
    int bad = 0;
    req->request_type = string_field(root, "RequestType", why, cap, &bad);
    req->stack_id = string_field(root, "StackId", why, cap, &bad);
    req->request_id = string_field(root, "RequestId", why, cap, &bad);
    req->logical_resource_id = string_field(root, "LogicalResourceId", why, cap, &bad);
    const char *rt = json_string_value(json_object_get(root, "ResourceType"));
    req->resource_type = rt ? rt : "";
    req->physical_resource_id = json_string_value(json_object_get(root, "PhysicalResourceId"));

    if (!bad && parse_type(req->request_type, &req->type) != 0) {
        snprintf(why, cap, "RequestType '%s' is not Create, Update or Delete", req->request_type);
        bad = 1;
    }
    if (!bad && req->type != CFN_CREATE && !req->physical_resource_id) {
        snprintf(why, cap, "the %s request has no PhysicalResourceId", req->request_type);
        bad = 1;
    }

    json_t *props = json_object_get(root, "ResourceProperties");
    if (!json_is_object(props)) {
        props = json_object();
        json_object_set_new(root, "ResourceProperties", props);
    }
    req->properties = props;
    json_t *old = json_object_get(root, "OldResourceProperties");
    req->old_properties = json_is_object(old) ? old : NULL;
    /* Present in any form, it marks a re-invocation (whose state the handler
     * checks); only its absence means a first receipt. */
    req->state = json_object_get(root, CFN_STATE_KEY);
    return bad ? CFN_PARSE_INVALID : CFN_PARSE_OK;
}

void cfn_request_free(cfn_request *req)
{
    json_decref(req->event);
    memset(req, 0, sizeof *req);
}
