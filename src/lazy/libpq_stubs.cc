// libpq's functions as preflight calls them, forwarding to libpq.so.5
// opened on first use (see lazy_library.h).
#include <libpq-fe.h>

#include "lazy/lazy_library.h"

#define REAL(function) PREFLIGHT_LAZY_REAL("libpq.so.5", "libpq5", function)

extern "C" {

PGconn* PQconnectStartParams(const char* const* keywords, const char* const* values, int expand_dbname) {
  REAL(PQconnectStartParams);
  return real(keywords, values, expand_dbname);
}

PostgresPollingStatusType PQconnectPoll(PGconn* conn) {
  REAL(PQconnectPoll);
  return real(conn);
}

PQnoticeProcessor PQsetNoticeProcessor(PGconn* conn, PQnoticeProcessor proc, void* arg) {
  REAL(PQsetNoticeProcessor);
  return real(conn, proc, arg);
}

ConnStatusType PQstatus(const PGconn* conn) {
  REAL(PQstatus);
  return real(conn);
}

char* PQerrorMessage(const PGconn* conn) {
  REAL(PQerrorMessage);
  return real(conn);
}

int PQsocket(const PGconn* conn) {
  REAL(PQsocket);
  return real(conn);
}

int PQsetnonblocking(PGconn* conn, int arg) {
  REAL(PQsetnonblocking);
  return real(conn, arg);
}

int PQsendQuery(PGconn* conn, const char* query) {
  REAL(PQsendQuery);
  return real(conn, query);
}

int PQflush(PGconn* conn) {
  REAL(PQflush);
  return real(conn);
}

int PQconsumeInput(PGconn* conn) {
  REAL(PQconsumeInput);
  return real(conn);
}

int PQisBusy(PGconn* conn) {
  REAL(PQisBusy);
  return real(conn);
}

PGresult* PQgetResult(PGconn* conn) {
  REAL(PQgetResult);
  return real(conn);
}

ExecStatusType PQresultStatus(const PGresult* res) {
  REAL(PQresultStatus);
  return real(res);
}

char* PQresultErrorMessage(const PGresult* res) {
  REAL(PQresultErrorMessage);
  return real(res);
}

char* PQresultErrorField(const PGresult* res, int fieldcode) {
  REAL(PQresultErrorField);
  return real(res, fieldcode);
}

int PQntuples(const PGresult* res) {
  REAL(PQntuples);
  return real(res);
}

int PQnfields(const PGresult* res) {
  REAL(PQnfields);
  return real(res);
}

char* PQgetvalue(const PGresult* res, int tup_num, int field_num) {
  REAL(PQgetvalue);
  return real(res, tup_num, field_num);
}

int PQgetisnull(const PGresult* res, int tup_num, int field_num) {
  REAL(PQgetisnull);
  return real(res, tup_num, field_num);
}

void PQclear(PGresult* res) {
  REAL(PQclear);
  real(res);
}

void PQfinish(PGconn* conn) {
  REAL(PQfinish);
  real(conn);
}

int PQlibVersion(void) {
  REAL(PQlibVersion);
  return real();
}

void* PQsslStruct(PGconn* conn, const char* struct_name) {
  REAL(PQsslStruct);
  return real(conn, struct_name);
}

}  // extern "C"

#undef REAL  // each stub file names its own library
