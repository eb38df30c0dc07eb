void append_user(char *buffer, const char *user_input) {
    strcat(buffer, "user=");
    strcat(buffer, user_input);
    strcat(buffer, ";");
    /* ruleid: c-repeated-block */
    strcat(buffer, "user=");
    strcat(buffer, user_input);
    strcat(buffer, ";");
}

int check(const char *token) {
    /* ok: c-repeated-block */
    if (token == NULL) {
        return -1;
    }
    if (strlen(token) > 64) {
        return -1;
    }
    return verify(token);
}

void cleanup(FILE *a) {
    if (a != NULL) {
        fclose(a);
    }
    /* ruleid: c-repeated-block */
    if (a != NULL) {
        fclose(a);
    }
    /* ok: c-repeated-block */
    free(x);
    free(y);
}
