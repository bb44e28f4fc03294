package template

import (
	"math/big"
	"net/netip"
	"strconv"
)

// fnCidr resolves Fn::Cidr [ipBlock, count, cidrBits]: count consecutive
// subnets of ipBlock, each with cidrBits host bits (so a /(32-cidrBits)
// for IPv4, /(128-cidrBits) for IPv6), starting at the block's network
// address. count is 1 to 256, as AWS documents.
func (e *evaluator) fnCidr(arg any) (any, error) {
	bad := errorf("Template error: every Fn::Cidr object requires three parameters, (1) an ip block, (2) a count and (3) the number of subnet bits")
	args, ok := arg.([]any)
	if !ok || len(args) != 3 {
		return nil, bad
	}
	texts := make([]string, 3)
	for i := range texts {
		s, ok, err := e.evalText(args[i])
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, bad
		}
		texts[i] = s
	}
	block, err := netip.ParsePrefix(texts[0])
	if err != nil {
		return nil, errorf("Template error: Fn::Cidr ip block %s is not a valid CIDR block", texts[0])
	}
	count, err1 := strconv.Atoi(texts[1])
	bits, err2 := strconv.Atoi(texts[2])
	if err1 != nil || err2 != nil {
		return nil, bad
	}
	subnets, err := cidrSubnets(block.Masked(), count, bits)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(subnets))
	for i, s := range subnets {
		out[i] = s
	}
	return out, nil
}

func cidrSubnets(block netip.Prefix, count, hostBits int) ([]string, error) {
	total := block.Addr().BitLen()
	if count < 1 || count > 256 {
		return nil, errorf("Template error: Fn::Cidr count %d is out of range: it must be between 1 and 256", count)
	}
	newLen := total - hostBits
	if hostBits < 0 || newLen < block.Bits() {
		return nil, errorf("Template error: Fn::Cidr cidrBits %d is not valid for ip block %s", hostBits, block)
	}
	if available := newLen - block.Bits(); available < 9 && count > 1<<available {
		return nil, errorf("Template error: Fn::Cidr ip block %s cannot hold %d subnets with %d bits", block, count, hostBits)
	}
	base := new(big.Int).SetBytes(block.Addr().AsSlice())
	step := new(big.Int).Lsh(big.NewInt(1), uint(hostBits))
	out := make([]string, count)
	for i := range count {
		n := new(big.Int).Add(base, new(big.Int).Mul(step, big.NewInt(int64(i))))
		buf := make([]byte, total/8)
		n.FillBytes(buf)
		addr, _ := netip.AddrFromSlice(buf)
		out[i] = netip.PrefixFrom(addr, newLen).String()
	}
	return out, nil
}
