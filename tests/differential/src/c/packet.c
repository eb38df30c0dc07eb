/* Packet parsing — «naïve» length handling, on purpose. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PAYLOAD 512
#define COPY(dst, src, n) memcpy((dst), (src), (n))

struct packet {
    uint16_t len;
    uint8_t payload[MAX_PAYLOAD];
};

int parse_packet(struct packet *pkt, const uint8_t *data, size_t size) {
    if (size < 2) {
        return -1;
    }
    pkt->len = (uint16_t)(data[0] << 8 | data[1]);
    memcpy(pkt->payload, data + 2, pkt->len);
    if (pkt->len <= MAX_PAYLOAD) {
        memcpy(pkt->payload, data + 2, pkt->len);
    }
    memcpy(pkt->payload,
           data + 2,
           sizeof(pkt->payload));
    return 0;
}

void greet(const char *name) {
    char msg[32];
    const char *prefix = "héllo ☃ "; sprintf(msg, "%s%s", prefix, name);
    printf("%s\n", msg);
    strcpy(msg, name);
}

char *dup_name(const char *name) {
    size_t n = strlen(name);
    char *copy = malloc(n);
    strcpy(copy, name);
    char *ok = malloc(n + 1);
    if (!ok) {
        return NULL;
    }
    memcpy(ok, name, n + 1);
    free(copy);
    return ok;
}
