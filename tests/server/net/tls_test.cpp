// HTTPS and WSS on the same port as plain HTTP, with a self-signed certificate made here.

#include "net_test_support.hpp"

#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>

using namespace net_test;
namespace ssl = asio::ssl;

namespace {

// A self-signed P-256 certificate for 127.0.0.1, written as PEM files under dir.
void make_self_signed(const std::filesystem::path& cert_file, const std::filesystem::path& key_file) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  ASSERT_TRUE(key);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  ASSERT_TRUE(cert);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  ASSERT_GT(X509_sign(cert.get(), key.get(), EVP_sha256()), 0);
  std::unique_ptr<FILE, decltype(&fclose)> cf(fopen(cert_file.c_str(), "wb"), fclose);
  std::unique_ptr<FILE, decltype(&fclose)> kf(fopen(key_file.c_str(), "wb"), fclose);
  ASSERT_TRUE(cf && kf);
  ASSERT_EQ(PEM_write_X509(cf.get(), cert.get()), 1);
  ASSERT_EQ(PEM_write_PrivateKey(kf.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr), 1);
}

class tls_test : public ::testing::Test {
 protected:
  void SetUp() override {
    make_self_signed(tree_.root() / "cert.pem", tree_.root() / "key.pem");
    auto options = test_options();
    options.static_root = tree_.root();
    options.tls = tls_options{(tree_.root() / "cert.pem").string(), (tree_.root() / "key.pem").string()};
    server_ = std::make_unique<test_server>(options);
    client_ctx_.load_verify_file((tree_.root() / "cert.pem").string());
    client_ctx_.set_verify_mode(ssl::verify_peer);
  }
  void TearDown() override { server_.reset(); }

  response https_get(const std::string& target) {
    asio::io_context ioc;
    beast::ssl_stream<beast::tcp_stream> stream(ioc, client_ctx_);
    const asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), server_->port());
    if (auto ec = run_op(ioc, [&](auto h) { beast::get_lowest_layer(stream).async_connect(ep, std::move(h)); })) {
      throw beast::system_error(ec);
    }
    if (auto ec = run_op(ioc, [&](auto h) { stream.async_handshake(ssl::stream_base::client, std::move(h)); })) {
      throw beast::system_error(ec);
    }
    http::request<http::empty_body> req{http::verb::get, target, 11};
    req.set(http::field::host, "127.0.0.1:" + std::to_string(server_->port()));
    if (auto ec = run_op(ioc, [&](auto h) { http::async_write(stream, req, std::move(h)); })) throw beast::system_error(ec);
    beast::flat_buffer buffer;
    response res;
    if (auto ec = run_op(ioc, [&](auto h) { http::async_read(stream, buffer, res, std::move(h)); })) {
      throw beast::system_error(ec);
    }
    return res;
  }

  static_tree tree_;
  std::unique_ptr<test_server> server_;
  ssl::context client_ctx_{ssl::context::tls_client};
};

}  // namespace

TEST_F(tls_test, https_serves_with_hsts) {
  auto res = https_get("/healthz");
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(res.body(), "ok");
  EXPECT_EQ(std::string(res["Strict-Transport-Security"]), "max-age=31536000");
  auto file = https_get("/widget/widget.mjs");
  EXPECT_EQ(file.result_int(), 200u);
  EXPECT_EQ(file.body(), "export const widget = 1;\n");
}

TEST_F(tls_test, wss_echoes) {
  asio::io_context ioc;
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(ioc, client_ctx_);
  const asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), server_->port());
  ASSERT_FALSE(run_op(ioc, [&](auto h) { beast::get_lowest_layer(ws).async_connect(ep, std::move(h)); }));
  ASSERT_FALSE(run_op(ioc, [&](auto h) { ws.next_layer().async_handshake(ssl::stream_base::client, std::move(h)); }));
  const std::string host = "127.0.0.1:" + std::to_string(server_->port());
  ASSERT_FALSE(run_op(ioc, [&](auto h) { ws.async_handshake(host, "/ws/visitor", std::move(h)); }));
  const std::string text = "over tls";
  ASSERT_FALSE(run_op(ioc, [&](auto h) { ws.async_write(asio::buffer(text), std::move(h)); }));
  beast::flat_buffer buffer;
  ASSERT_FALSE(run_op(ioc, [&](auto h) { ws.async_read(buffer, std::move(h)); }));
  EXPECT_EQ(beast::buffers_to_string(buffer.data()), text);
  ASSERT_FALSE(run_op(ioc, [&](auto h) { ws.async_close(websocket::close_code::normal, std::move(h)); }));
  ASSERT_TRUE(eventually([&] { return server_->app().total_closes() == 1; }));
}

TEST_F(tls_test, plain_http_on_the_tls_port_serves_probes_and_redirects_the_rest) {
  EXPECT_EQ(http_get(server_->port(), "/healthz").result_int(), 200u);
  auto res = http_get(server_->port(), "/widget/widget.mjs");
  EXPECT_EQ(res.result_int(), 308u);
  EXPECT_EQ(std::string(res[http::field::location]),
            "https://127.0.0.1:" + std::to_string(server_->port()) + "/widget/widget.mjs");
  EXPECT_EQ(ws_client::refused_status(server_->port(), "/ws/visitor"), 403u);
}

TEST(tls_options_test, missing_certificate_is_a_clear_error) {
  asio::io_context ioc;
  echo_app app;
  metrics_registry registry;
  auto options = test_options();
  options.tls = tls_options{"/nonexistent/cert.pem", "/nonexistent/key.pem"};
  try {
    http_server server(ioc, options, app, registry);
    FAIL() << "constructing with unreadable TLS files must throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/cert.pem"), std::string::npos) << e.what();
  }
}
