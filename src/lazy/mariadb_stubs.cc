// MariaDB Connector/C's functions as preflight calls them, forwarding to
// libmariadb.so.3 opened on first use (see lazy_library.h).
#include <mysql.h>

#include "lazy/lazy_library.h"

#define REAL(function) PREFLIGHT_LAZY_REAL("libmariadb.so.3", "libmariadb3", function)

extern "C" {

int STDCALL mysql_server_init(int argc, char** argv, char** groups) {
  REAL(mysql_server_init);
  return real(argc, argv, groups);
}

MYSQL* STDCALL mysql_init(MYSQL* mysql) {
  REAL(mysql_init);
  return real(mysql);
}

int STDCALL mysql_options(MYSQL* mysql, enum mysql_option option, const void* arg) {
  REAL(mysql_options);
  return real(mysql, option, arg);
}

int STDCALL mysql_ssl_set(MYSQL* mysql, const char* key, const char* cert, const char* ca, const char* capath, const char* cipher) {
  REAL(mysql_ssl_set);
  return real(mysql, key, cert, ca, capath, cipher);
}

int STDCALL mysql_real_connect_start(MYSQL** ret, MYSQL* mysql, const char* host, const char* user, const char* passwd, const char* db, unsigned int port, const char* unix_socket, unsigned long client_flags) {
  REAL(mysql_real_connect_start);
  return real(ret, mysql, host, user, passwd, db, port, unix_socket, client_flags);
}

int STDCALL mysql_real_connect_cont(MYSQL** ret, MYSQL* mysql, int status) {
  REAL(mysql_real_connect_cont);
  return real(ret, mysql, status);
}

my_socket STDCALL mysql_get_socket(MYSQL* mysql) {
  REAL(mysql_get_socket);
  return real(mysql);
}

unsigned int STDCALL mysql_get_timeout_value_ms(const MYSQL* mysql) {
  REAL(mysql_get_timeout_value_ms);
  return real(mysql);
}

int STDCALL mysql_real_query_start(int* ret, MYSQL* mysql, const char* q, unsigned long length) {
  REAL(mysql_real_query_start);
  return real(ret, mysql, q, length);
}

int STDCALL mysql_real_query_cont(int* ret, MYSQL* mysql, int status) {
  REAL(mysql_real_query_cont);
  return real(ret, mysql, status);
}

int STDCALL mysql_store_result_start(MYSQL_RES** ret, MYSQL* mysql) {
  REAL(mysql_store_result_start);
  return real(ret, mysql);
}

int STDCALL mysql_store_result_cont(MYSQL_RES** ret, MYSQL* mysql, int status) {
  REAL(mysql_store_result_cont);
  return real(ret, mysql, status);
}

MYSQL_ROW STDCALL mysql_fetch_row(MYSQL_RES* result) {
  REAL(mysql_fetch_row);
  return real(result);
}

unsigned int STDCALL mysql_num_fields(MYSQL_RES* res) {
  REAL(mysql_num_fields);
  return real(res);
}

void STDCALL mysql_free_result(MYSQL_RES* result) {
  REAL(mysql_free_result);
  real(result);
}

void STDCALL mysql_close(MYSQL* sock) {
  REAL(mysql_close);
  real(sock);
}

unsigned int STDCALL mysql_errno(MYSQL* mysql) {
  REAL(mysql_errno);
  return real(mysql);
}

const char* STDCALL mysql_error(MYSQL* mysql) {
  REAL(mysql_error);
  return real(mysql);
}

const char* STDCALL mysql_get_ssl_cipher(MYSQL* mysql) {
  REAL(mysql_get_ssl_cipher);
  return real(mysql);
}

const char* STDCALL mysql_sqlstate(MYSQL* mysql) {
  REAL(mysql_sqlstate);
  return real(mysql);
}

const char* STDCALL mysql_get_client_info(void) {
  REAL(mysql_get_client_info);
  return real();
}

}  // extern "C"

#undef REAL  // each stub file names its own library
